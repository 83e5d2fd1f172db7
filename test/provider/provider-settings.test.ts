// The provider block and the environment combined, where Terraform adds nothing: environment
// fallbacks and precedence, as the official provider has them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Value } from "../../src/values/value.ts";
import { known, listValue, objectValue } from "../../src/values/value.ts";
import { Diagnostics } from "../../src/framework/diagnostics.ts";
import { readSettings } from "../../src/provider/provider-settings.ts";

const base = { AWS_REGION: "us-east-1", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" };
const config = (attrs: Record<string, Value> = {}) => objectValue(attrs);
const block = (attrs: Record<string, Value>) => listValue([objectValue(attrs)]);
const s = (v: string) => known(v);

function read(attrs: Record<string, Value>, env: Record<string, string> = {}) {
  const diags = new Diagnostics();
  const settings = readSettings(config(attrs), { ...base, ...env }, diags);
  return { settings, diags: diags.items };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "settings-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readSettings", () => {
  it("proxies: HTTP_PROXY/HTTPS_PROXY/NO_PROXY when the block is silent; the block wins, and an empty string turns a proxy off", () => {
    const env = { HTTP_PROXY: "http://env-http:3128", HTTPS_PROXY: "http://env-https:3128", NO_PROXY: ".corp" };
    expect(read({}, env).settings?.connection).toMatchObject({ httpProxy: "http://env-http:3128", httpsProxy: "http://env-https:3128", noProxy: ".corp" });
    expect(read({ https_proxy: s(""), no_proxy: s("x.test") }, env).settings?.connection).toMatchObject({
      httpProxy: "http://env-http:3128",
      noProxy: "x.test",
    });
    expect(read({ https_proxy: s("") }, env).settings?.connection?.httpsProxy).toBeUndefined();
    expect(read({}, { http_proxy: "http://lower:1" }).settings?.connection?.httpProxy).toBe("http://lower:1");
  });

  it("http_proxy alone also carries HTTPS, with a warning at http_proxy; a bad proxy variable is an error that names it", () => {
    const { settings, diags } = read({ http_proxy: s("http://user:secret@proxy:3128") });
    expect(settings?.connection?.httpsProxy).toBe("http://user:secret@proxy:3128");
    expect(diags).toEqual([expect.objectContaining({ severity: "warning", summary: "Missing HTTPS proxy", path: ["http_proxy"] })]);
    expect(diags[0]!.detail).not.toContain("secret");
    const bad = read({}, { HTTPS_PROXY: "not a url" });
    expect(bad.settings).toBeUndefined();
    expect(bad.diags[0]!.detail).toMatch(/HTTPS_PROXY environment variable/);
  });

  it("custom_ca_bundle, else AWS_CA_BUNDLE, is read; a missing file is an error at custom_ca_bundle", async () => {
    const pem = join(dir, "ca.pem");
    await writeFile(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    expect(read({}, { AWS_CA_BUNDLE: pem }).settings?.connection?.caBundle).toContain("BEGIN CERTIFICATE");
    const missing = read({ custom_ca_bundle: s(join(dir, "nope.pem")) });
    expect(missing.diags).toEqual([expect.objectContaining({ summary: "Unreadable CA bundle", path: ["custom_ca_bundle"] })]);
  });

  it("retry_mode, use_fips_endpoint, use_dualstack_endpoint fall back to AWS_RETRY_MODE, AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT", () => {
    const env = { AWS_RETRY_MODE: "adaptive", AWS_USE_FIPS_ENDPOINT: "true", AWS_USE_DUALSTACK_ENDPOINT: "true" };
    expect(read({}, env).settings).toMatchObject({ retryMode: "adaptive", useFipsEndpoint: true, useDualstackEndpoint: true });
    expect(read({ retry_mode: s("standard"), use_fips_endpoint: known(false) }, env).settings).toMatchObject({ retryMode: "standard", useFipsEndpoint: false });
    expect(read({}, { AWS_RETRY_MODE: "legacy" }).diags[0]!.detail).toMatch(/AWS_RETRY_MODE must be "standard" or "adaptive"/);
  });

  it("IMDS: the endpoint, else the mode's address, else the environment's", () => {
    expect(read({ ec2_metadata_service_endpoint: s("http://10.0.0.1:1338/") }).settings?.imdsEndpoint).toBe("http://10.0.0.1:1338");
    expect(read({ ec2_metadata_service_endpoint_mode: s("IPv6") }).settings?.imdsEndpoint).toBe("http://[fd00:ec2::254]");
    expect(read({}, { AWS_EC2_METADATA_SERVICE_ENDPOINT: "http://imds.test" }).settings?.imdsEndpoint).toBe("http://imds.test");
    expect(read({}).settings?.imdsEndpoint).toBeUndefined();
  });

  it("assume_role_with_web_identity: the block's token source wins over TF_AWS_WEB_IDENTITY_TOKEN and AWS_WEB_IDENTITY_TOKEN_FILE; role from AWS_ROLE_ARN", () => {
    const env = { TF_AWS_WEB_IDENTITY_TOKEN: "env-token", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/env" };
    expect(read({ assume_role_with_web_identity: block({}) }, env).settings?.webIdentity).toEqual({
      roleArn: "arn:aws:iam::123456789012:role/env",
      token: "env-token",
    });
    expect(read({ assume_role_with_web_identity: block({ web_identity_token_file: s("/run/token") }) }, env).settings?.webIdentity).toMatchObject({
      tokenFile: "/run/token",
    });
    const none = read({ assume_role_with_web_identity: block({ role_arn: s("arn:aws:iam::123456789012:role/r") }) });
    expect(none.diags).toEqual([expect.objectContaining({ summary: "Missing web identity token", path: ["assume_role_with_web_identity", 0] })]);
  });

  it("ignore_tags and default_tags merge TF_AWS_IGNORE_TAGS_* and TF_AWS_DEFAULT_TAGS_*; the block's default tags win", () => {
    const env = {
      TF_AWS_IGNORE_TAGS_KEYS: "a, b",
      TF_AWS_IGNORE_TAGS_KEY_PREFIXES: "k8s:",
      TF_AWS_DEFAULT_TAGS_team: "env-team",
      TF_AWS_DEFAULT_TAGS_cost: "1",
    };
    const { settings } = read({ ignore_tags: block({ keys: listValue([s("c")]) }), default_tags: block({ tags: objectValue({}) }) }, env);
    expect(settings?.ignoreTags).toEqual({ keys: ["c", "a", "b"], keyPrefixes: ["k8s:"] });
    expect(settings?.defaultTags).toEqual({ team: "env-team", cost: "1" });
  });

  it("assume_role blocks form a chain, with every session argument", () => {
    const role = (n: string) =>
      objectValue({ role_arn: s(`arn:aws:iam::123456789012:role/${n}`), source_identity: s("me"), transitive_tag_keys: listValue([s("k")]) });
    const { settings } = read({ assume_role: listValue([role("first"), role("second")]), sts_region: s("eu-west-1") });
    expect(settings?.assumeRoles?.map((r) => r.roleArn)).toEqual(["arn:aws:iam::123456789012:role/first", "arn:aws:iam::123456789012:role/second"]);
    expect(settings?.assumeRoles?.[0]).toMatchObject({ sourceIdentity: "me", transitiveTagKeys: ["k"] });
    expect(settings?.stsRegion).toBe("eu-west-1");
  });
});
