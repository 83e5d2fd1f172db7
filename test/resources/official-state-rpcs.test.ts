// MoveResourceState and UpgradeResourceState for both resource types, through the framework
// server as Terraform calls them: which sources are taken over, which are refused and how, and
// that the password and API-key secret arrive byte for byte.
import { decode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { FrameworkServer } from "../../src/framework/framework-server.ts";
import { awsProvider } from "../../src/provider/aws-provider.ts";
import { OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS } from "../../src/provider-address.ts";
import { createLogger } from "../../src/logging/logger.ts";
import type * as tf from "../../src/generated/protocol-types.ts";
import { OFFICIAL_USER_ATTRIBUTES } from "../support/official-state-file.ts";

const CREDENTIAL = "aws_iam_service_specific_credential";
const USER = "aws_iam_user";
const PASSWORD = "Zq3+Pw0rd/9xLmN4bV7cE1rT6yU8iO2aS5dF=";
const SECRET = "ABSKQmVkcm9jay1BUEkta2V5LXNlY3JldC0xMjM0NTY=";
const SERVED_AT = "registry.example.com/acme/awsssc";

const server = () => new FrameworkServer(awsProvider(), { logger: createLogger({ level: "off", module: "test" }), env: {}, providerAddress: SERVED_AT });
const decoded = (v: tf.DynamicValue | null | undefined) => decode(v!.msgpack!) as Record<string, unknown>;
const errors = (r: { diagnostics?: tf.Diagnostic[] | null }) => (r.diagnostics ?? []).filter((d) => d.severity === "ERROR");

/** The v6 official provider's state of a CodeCommit password (SDKv2 writes "" for what IAM did not return). */
const officialPassword = {
  id: "codecommit.amazonaws.com:example:ACCA1234567890EXAMPLE",
  service_name: "codecommit.amazonaws.com",
  user_name: "example",
  status: "Active",
  credential_age_days: null,
  service_password: PASSWORD,
  service_credential_secret: "",
  service_credential_alias: "",
  service_user_name: "example-at-123456789012",
  service_specific_credential_id: "ACCA1234567890EXAMPLE",
  create_date: "2025-10-01T12:34:56Z",
  expiration_date: null,
};
const officialApiKey = {
  id: "bedrock.amazonaws.com:example:ACCA1234567890APIKEY",
  service_name: "bedrock.amazonaws.com",
  user_name: "example",
  status: "Active",
  credential_age_days: 30,
  service_password: "",
  service_credential_secret: SECRET,
  service_credential_alias: "example+1-at-123456789012",
  service_user_name: "",
  service_specific_credential_id: "ACCA1234567890APIKEY",
  create_date: "2025-10-01T12:34:56Z",
  expiration_date: "2025-10-31T12:34:56Z",
};
const officialUser = OFFICIAL_USER_ATTRIBUTES;
const SDKV2_PRIVATE = Buffer.from('{"schema_version":"0"}');

function move(typeName: string, state: object, extra: Partial<tf.MoveResourceState_Request> = {}) {
  return server().moveResourceState({
    source_provider_address: OFFICIAL_PROVIDER_ADDRESS,
    source_type_name: typeName,
    source_schema_version: "0",
    source_state: { json: Buffer.from(JSON.stringify(state)) },
    target_type_name: typeName,
    source_private: SDKV2_PRIVATE,
    ...extra,
  });
}

/** Secrets never reach diagnostics. */
function expectNoSecrets(r: { diagnostics?: tf.Diagnostic[] | null }): void {
  const text = JSON.stringify(r.diagnostics ?? []);
  expect(text.includes(PASSWORD) || text.includes(SECRET), "a diagnostic carries a secret").toBe(false);
}

describe("MoveResourceState from the official provider", () => {
  // Arguments and attributes the official provider does not have (issue 14): null in a moved state.
  const ISSUE_14_NULLS = {
    reset_trigger: null,
    early_renewal_days: null,
    pgp_key: null,
    encrypted_service_password: null,
    encrypted_service_credential_secret: null,
    key_fingerprint: null,
  };

  it("takes over a password credential with its password, normalised to this provider's shape", async () => {
    const r = await move(CREDENTIAL, officialPassword);
    expect(r.diagnostics).toEqual([]);
    const state = decoded(r.target_state);
    expect(state.service_password === PASSWORD, "the moved password differs from the stored one").toBe(true);
    expect(state).toEqual({
      ...officialPassword,
      ...ISSUE_14_NULLS,
      service_password: state.service_password,
      service_credential_secret: null,
      service_credential_alias: null,
    });
    expect(Buffer.from(r.target_private!).length).toBe(0);
  });

  it("takes over an API key with its secret and age", async () => {
    const r = await move(CREDENTIAL, officialApiKey);
    expect(r.diagnostics).toEqual([]);
    const state = decoded(r.target_state);
    expect(state.service_credential_secret === SECRET, "the moved secret differs from the stored one").toBe(true);
    expect(state).toMatchObject({ credential_age_days: 30, service_password: null, service_user_name: null, expiration_date: "2025-10-31T12:34:56Z" });
  });

  it("takes over a pre-Bedrock state that lacks the API-key attributes", async () => {
    const {
      service_credential_secret: _s,
      service_credential_alias: _a,
      credential_age_days: _c,
      create_date: _d,
      expiration_date: _e,
      ...old
    } = officialPassword;
    const r = await move(CREDENTIAL, old);
    expect(r.diagnostics).toEqual([]);
    const state = decoded(r.target_state);
    expect(state.service_password === PASSWORD).toBe(true);
    expect(Object.keys(state).sort()).toEqual(Object.keys({ ...officialPassword, ...ISSUE_14_NULLS }).sort());
    for (const name of Object.keys(ISSUE_14_NULLS)) expect(state[name], name).toBeNull();
    expect(state.create_date).toBeNull();
  });

  it("takes over a user: an empty boundary and empty tags become null", async () => {
    const r = await move(USER, officialUser);
    expect(r.diagnostics).toEqual([]);
    expect(decoded(r.target_state)).toEqual({ ...officialUser, permissions_boundary: null, tags: null });
  });

  it("accepts this provider's own addresses, in any letter case", async () => {
    for (const address of ["Registry.Terraform.io/HashiCorp/AWS", OWN_PROVIDER_ADDRESS, SERVED_AT.toUpperCase()]) {
      const r = await move(CREDENTIAL, officialPassword, { source_provider_address: address, source_private: Buffer.alloc(0) });
      expect(r.diagnostics, address).toEqual([]);
      expect(decoded(r.target_state).service_password === PASSWORD, address).toBe(true);
    }
  });

  it("refuses another provider, naming the one given and those accepted", async () => {
    const r = await move(CREDENTIAL, officialPassword, { source_provider_address: "registry.terraform.io/hashicorp/awscc" });
    expect(r.target_state).toBeUndefined();
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]!.summary).toBe("Cannot move from this provider");
    for (const part of ["registry.terraform.io/hashicorp/awscc", OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS, SERVED_AT])
      expect(errors(r)[0]!.detail).toContain(part);
    expectNoSecrets(r);
  });

  it("refuses another resource type", async () => {
    const r = await server().moveResourceState({
      source_provider_address: OFFICIAL_PROVIDER_ADDRESS,
      source_type_name: "aws_iam_access_key",
      source_schema_version: "0",
      source_state: { json: Buffer.from(JSON.stringify({ id: "AKIA", secret: SECRET })) },
      target_type_name: CREDENTIAL,
    });
    expect(r.target_state).toBeUndefined();
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]!.detail).toContain("aws_iam_access_key");
    expect(errors(r)[0]!.detail).toContain(CREDENTIAL);
    expectNoSecrets(r);
  });

  it("refuses a newer schema version, saying which it reads", async () => {
    const r = await move(USER, officialUser, { source_schema_version: "1" });
    expect(r.target_state).toBeUndefined();
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]!.detail).toMatch(/schema version 1\b/);
    expect(errors(r)[0]!.detail).toMatch(/schema version 0 only/);
  });

  it("reports an unreadable source state without echoing it", async () => {
    const r = await move(CREDENTIAL, officialPassword, { source_state: { json: Buffer.from(`{"service_password":"${PASSWORD}","status":7,`) } });
    expect(r.target_state).toBeUndefined();
    expect(errors(r)).toHaveLength(1);
    expectNoSecrets(r);
  });
});

describe("UpgradeResourceState of states the official provider wrote (drop-in mode)", () => {
  const upgrade = (typeName: string, state: object) =>
    server().upgradeResourceState({ type_name: typeName, version: "0", raw_state: { json: Buffer.from(JSON.stringify(state)) } });

  it("normalises the password credential and keeps its password", async () => {
    const r = await upgrade(CREDENTIAL, officialPassword);
    expect(r.diagnostics).toEqual([]);
    const state = decoded(r.upgraded_state);
    expect(state.service_password === PASSWORD).toBe(true);
    expect(state).toMatchObject({ service_credential_secret: null, service_credential_alias: null, credential_age_days: null });
  });

  it("normalises the API key and keeps its secret; credential_age_days 0 becomes null", async () => {
    const r = await upgrade(CREDENTIAL, { ...officialApiKey, credential_age_days: 0 });
    const state = decoded(r.upgraded_state);
    expect(state.service_credential_secret === SECRET).toBe(true);
    expect(state).toMatchObject({ service_password: null, service_user_name: null, credential_age_days: null });
  });

  it("normalises the user", async () => {
    const r = await upgrade(USER, { ...officialUser, force_destroy: undefined });
    expect(decoded(r.upgraded_state)).toEqual({ ...officialUser, permissions_boundary: null, tags: null, force_destroy: false });
  });

  it("is idempotent: its own output upgrades to itself", async () => {
    for (const [typeName, state] of [
      [CREDENTIAL, officialPassword],
      [CREDENTIAL, officialApiKey],
      [USER, officialUser],
    ] as const) {
      const once = decoded((await upgrade(typeName, state)).upgraded_state);
      const twice = decoded((await upgrade(typeName, once)).upgraded_state);
      expect(twice, typeName).toEqual(once);
    }
    // A user of this provider's with `tags = {}` keeps them.
    const own = { ...officialUser, permissions_boundary: null, tags: {} };
    expect(decoded((await upgrade(USER, own)).upgraded_state)).toEqual(own);
  });
});
