// The data source RPCs through a real mTLS gRPC connection to the built executable: the data
// source is listed in GetMetadata and GetProviderSchema (its list(object) attribute as cty JSON),
// ValidateDataResourceConfig points at the bad attribute, and unknown names are errors.
import { encode, ExtData } from "@msgpack/msgpack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAllStarted, startPlugin, unary, type PluginProcess, type ServiceClient } from "../support/plugin-process.ts";

const DATA_SOURCE = "aws_iam_service_specific_credentials";
const UNKNOWN = new ExtData(0, new Uint8Array([0]));

interface WireDiagnostic {
  severity: string;
  summary: string;
  detail: string;
  attribute: { steps: Record<string, unknown>[] } | null;
}
interface WireAttribute {
  name: string;
  type: Buffer;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
}

let plugin: PluginProcess;
let provider: ServiceClient;
const call = <T = { diagnostics: WireDiagnostic[] }>(method: string, request: object) => unary<T>(provider, method, request);
const config = (values: { user_name?: unknown; service_name?: unknown; id?: unknown; credentials?: unknown }) => ({
  msgpack: Buffer.from(encode({ id: null, user_name: null, service_name: null, credentials: null, ...values })),
});

beforeAll(async () => {
  plugin = await startPlugin({ env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: undefined } });
  provider = plugin.client("tfplugin6.Provider");
});
afterAll(async () => {
  await plugin?.stop();
  await killAllStarted();
});

describe("listing", () => {
  it("GetMetadata names the data source", async () => {
    const m = await call<{ data_sources: { type_name: string }[]; resources: { type_name: string }[] }>("GetMetadata", {});
    expect(m.data_sources).toEqual([{ type_name: DATA_SOURCE }]);
    expect(m.resources.map((r) => r.type_name).sort()).toEqual(["aws_iam_service_specific_credential", "aws_iam_user"]);
  });

  it("GetProviderSchema gives its arguments and a computed list of objects without secrets", async () => {
    const schema = await call<{ data_source_schemas: Record<string, { block: { attributes: WireAttribute[] } }> }>("GetProviderSchema", {});
    expect(Object.keys(schema.data_source_schemas)).toEqual([DATA_SOURCE]);
    const attrs = schema.data_source_schemas[DATA_SOURCE]!.block.attributes;
    const mode = (name: string) => {
      const a = attrs.find((x) => x.name === name)!;
      return {
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        type: JSON.parse(Buffer.from(a.type).toString("utf8")) as unknown,
      };
    };
    expect(attrs.map((a) => a.name).sort()).toEqual(["credentials", "id", "service_name", "user_name"]);
    expect(mode("user_name")).toEqual({ required: true, optional: false, computed: false, sensitive: false, type: "string" });
    expect(mode("service_name")).toEqual({ required: false, optional: true, computed: false, sensitive: false, type: "string" });
    expect(mode("id")).toEqual({ required: false, optional: false, computed: true, sensitive: false, type: "string" });
    const credentials = mode("credentials");
    expect(credentials).toMatchObject({ required: false, optional: false, computed: true, sensitive: false });
    const element = Object.fromEntries(
      Object.keys({
        id: 0,
        service_specific_credential_id: 0,
        service_name: 0,
        service_user_name: 0,
        service_credential_alias: 0,
        status: 0,
        create_date: 0,
        expiration_date: 0,
      }).map((k) => [k, "string"]),
    );
    expect(credentials.type).toEqual(["list", ["object", element]]);
  });
});

describe("ValidateDataResourceConfig", () => {
  it("accepts a user name, with or without a service, and unknowns", async () => {
    expect((await call("ValidateDataResourceConfig", { type_name: DATA_SOURCE, config: config({ user_name: "jane" }) })).diagnostics).toEqual([]);
    expect(
      (await call("ValidateDataResourceConfig", { type_name: DATA_SOURCE, config: config({ user_name: "jane", service_name: "codecommit.amazonaws.com" }) }))
        .diagnostics,
    ).toEqual([]);
    expect(
      (await call("ValidateDataResourceConfig", { type_name: DATA_SOURCE, config: config({ user_name: UNKNOWN, service_name: UNKNOWN }) })).diagnostics,
    ).toEqual([]);
  });

  it("points at a bad user name, a bad service name and a configured credentials list", async () => {
    const r = await call("ValidateDataResourceConfig", {
      type_name: DATA_SOURCE,
      config: config({ user_name: "no spaces", service_name: "code commit", credentials: [] }),
    });
    expect(r.diagnostics.map((d) => [d.severity, d.summary, d.attribute?.steps])).toEqual([
      ["ERROR", "Invalid configuration for read-only attribute", [expect.objectContaining({ attribute_name: "credentials" })]],
      ["ERROR", "Invalid attribute value", [expect.objectContaining({ attribute_name: "user_name" })]],
      ["ERROR", "Invalid attribute value", [expect.objectContaining({ attribute_name: "service_name" })]],
    ]);
  });
});

describe("unknown names and order of calls", () => {
  it("both RPCs name an unknown data source", async () => {
    for (const rpc of ["ValidateDataResourceConfig", "ReadDataSource"]) {
      const r = await call(rpc, { type_name: "aws_iam_user", config: config({}) });
      expect(
        r.diagnostics.map((d) => [d.severity, d.summary, d.detail]),
        rpc,
      ).toEqual([["ERROR", "Unknown data source", 'This provider has no data source "aws_iam_user".']]);
    }
  });

  it("ReadDataSource before ConfigureProvider is an error, not a crash", async () => {
    const r = await call<{ diagnostics: WireDiagnostic[]; state: unknown }>("ReadDataSource", {
      type_name: DATA_SOURCE,
      config: config({ user_name: "jane" }),
    });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Provider not configured"]);
    expect(r.state).toBeNull();
  });
});
