// Every tfplugin6 RPC, called through a real mTLS gRPC connection to the built executable:
// each one answers (never a gRPC error or a crash), and bad input comes back as diagnostics.
import { decode, encode, ExtData } from "@msgpack/msgpack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceMethods } from "../../src/transport/protobuf-codec.ts";
import { killAllStarted, startPlugin, unary, type PluginProcess, type ServiceClient } from "../support/plugin-process.ts";

const CREDENTIAL = "aws_iam_service_specific_credential";
const ATTRIBUTES = [
  "id",
  "service_name",
  "user_name",
  "status",
  "credential_age_days",
  "reset_trigger",
  "early_renewal_days",
  "pgp_key",
  "service_password",
  "service_credential_secret",
  "encrypted_service_password",
  "encrypted_service_credential_secret",
  "key_fingerprint",
  "service_user_name",
  "service_specific_credential_id",
  "service_credential_alias",
  "create_date",
  "expiration_date",
] as const;
const ID_FORMAT = "SERVICE_NAME:USER_NAME:SERVICE_SPECIFIC_CREDENTIAL_ID";

/** go-cty's plain unknown (`d4 00 00`) and an unknown refined to a non-null string starting "u-". */
const UNKNOWN = new ExtData(0, new Uint8Array([0]));
const REFINED_UNKNOWN = new ExtData(12, new Uint8Array([0x82, 0x01, 0xc2, 0x02, 0xa2, 0x75, 0x2d]));

/** A credential object as go-cty writes it: one entry per attribute, nil for null. */
function credentialObject(values: Partial<Record<(typeof ATTRIBUTES)[number], unknown>>): Record<string, unknown> {
  return Object.fromEntries(ATTRIBUTES.map((a) => [a, a in values ? values[a] : null]));
}
const msgpack = (v: unknown) => ({ msgpack: Buffer.from(encode(v)) });
const NULL_VALUE = { msgpack: Buffer.from([0xc0]) };

interface WireDiagnostic {
  severity: string;
  summary: string;
  detail: string;
  attribute: { steps: Record<string, unknown>[] } | null;
}
interface WithDiagnostics {
  diagnostics: WireDiagnostic[];
}

let plugin: PluginProcess;
let provider: ServiceClient;
const call = <T = WithDiagnostics>(method: string, request: object) => unary<T>(provider, method, request);

beforeAll(async () => {
  // No region anywhere, so that ConfigureProvider has a predictable complaint.
  plugin = await startPlugin({ env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: undefined } });
  provider = plugin.client("tfplugin6.Provider");
});
afterAll(async () => {
  await plugin?.stop();
  await killAllStarted();
});

function errors(r: WithDiagnostics): WireDiagnostic[] {
  return r.diagnostics.filter((d) => d.severity === "ERROR");
}

/**
 * The one error diagnostic of `r`, which must have this summary: a handler that throws also
 * ends in an error diagnostic, so "some error" proves nothing.
 */
function theError(r: WithDiagnostics, summary: string, label?: string): WireDiagnostic {
  const all = errors(r);
  expect(
    all.map((d) => d.summary),
    label,
  ).toEqual([summary]);
  return all[0]!;
}

describe("every RPC answers", () => {
  const rpcs = serviceMethods("tfplugin6.Provider").map((m) => m.name);

  it("the service has the 20 RPCs of tfplugin6.8", () => {
    expect(rpcs.sort()).toEqual(
      [
        "ApplyResourceChange",
        "CallFunction",
        "CloseEphemeralResource",
        "ConfigureProvider",
        "GetFunctions",
        "GetMetadata",
        "GetProviderSchema",
        "ImportResourceState",
        "MoveResourceState",
        "OpenEphemeralResource",
        "PlanResourceChange",
        "ReadDataSource",
        "ReadResource",
        "RenewEphemeralResource",
        "StopProvider",
        "UpgradeResourceState",
        "ValidateDataResourceConfig",
        "ValidateEphemeralResourceConfig",
        "ValidateProviderConfig",
        "ValidateResourceConfig",
      ].sort(),
    );
  });

  it.each(rpcs)("%s with an unknown type name returns a response, and the server keeps serving", async (rpc) => {
    const response = await call<Record<string, unknown>>(rpc, { type_name: "aws_no_such_thing", target_type_name: "aws_no_such_thing", name: "nope" });
    expect(response).toBeTypeOf("object");
    const diags = (response.diagnostics ?? []) as WireDiagnostic[];
    for (const d of diags) expect(["ERROR", "WARNING"]).toContain(d.severity);
    await expect(unary(plugin.client("grpc.health.v1.Health"), "Check", { service: "plugin" })).resolves.toEqual({ status: "SERVING" });
  });

  it("resource RPCs name the unknown resource type in an error", async () => {
    for (const rpc of ["ValidateResourceConfig", "UpgradeResourceState", "ReadResource", "PlanResourceChange", "ApplyResourceChange", "ImportResourceState"]) {
      const r = await call(rpc, { type_name: "aws_no_such_thing" });
      expect(theError(r, "Unknown resource type", rpc).detail, rpc).toBe('This provider has no resource type "aws_no_such_thing".');
    }
  });

  it("ephemeral resources and moves across resource types are refused with an error diagnostic", async () => {
    for (const [rpc, kind] of [
      ["ValidateEphemeralResourceConfig", "ephemeral resource"],
      ["OpenEphemeralResource", "ephemeral resource"],
      ["RenewEphemeralResource", "ephemeral resource"],
      ["CloseEphemeralResource", "ephemeral resource"],
    ] as const) {
      const r = await call(rpc, { type_name: "aws_iam_user" });
      expect(theError(r, "Not supported", rpc).detail, rpc).toBe(`This provider has no ${kind} "aws_iam_user".`);
    }
    // From the provider the credential accepts moves from, so that the type is what is refused.
    const moved = await call("MoveResourceState", {
      source_provider_address: "registry.terraform.io/hashicorp/aws",
      source_type_name: "aws_iam_user",
      source_schema_version: "0",
      source_state: { json: Buffer.from("{}") },
      target_type_name: CREDENTIAL,
    });
    expect(theError(moved, "Cannot move from this resource type").detail).toContain('"aws_iam_user"');
  });

  it("GetFunctions is empty and CallFunction reports an error", async () => {
    const fns = await call<{ functions: Record<string, unknown>; diagnostics: unknown[] }>("GetFunctions", {});
    expect(fns.functions).toEqual({});
    expect(fns.diagnostics).toEqual([]);
    const r = await call<{ error: { text: string } | null }>("CallFunction", { name: "nope", arguments: [] });
    expect(r.error?.text).toContain("nope");
  });

  it("StopProvider answers with an empty error", async () => {
    await expect(call("StopProvider", {})).resolves.toEqual({ Error: "" });
  });

  it("ConfigureProvider without a region explains it and points at region", async () => {
    const r = await call("ConfigureProvider", { terraform_version: "1.11.4", config: NULL_VALUE });
    expect(theError(r, "Missing AWS region").attribute?.steps).toEqual([expect.objectContaining({ attribute_name: "region" })]);
  });

  it("ApplyResourceChange before configuration is an error, not a crash", async () => {
    const r = await call("ApplyResourceChange", {
      type_name: CREDENTIAL,
      prior_state: NULL_VALUE,
      planned_state: msgpack(credentialObject({ service_name: "codecommit.amazonaws.com", user_name: "a", status: "Active" })),
      config: msgpack(credentialObject({ service_name: "codecommit.amazonaws.com", user_name: "a" })),
    });
    theError(r, "Provider not configured");
  });
});

describe("schema", () => {
  interface WireAttribute {
    name: string;
    type: Buffer;
    required: boolean;
    optional: boolean;
    computed: boolean;
    sensitive: boolean;
  }
  interface SchemaResponse {
    provider: { block: { attributes: WireAttribute[] } };
    resource_schemas: Record<string, { version: string; block: { attributes: WireAttribute[] } }>;
    server_capabilities: { plan_destroy: boolean; get_provider_schema_optional: boolean; move_resource_state: boolean };
    provider_meta: unknown;
  }
  let schema: SchemaResponse;
  beforeAll(async () => {
    schema = await call<SchemaResponse>("GetProviderSchema", {});
  });

  it("advertises plan_destroy, get_provider_schema_optional and move_resource_state", async () => {
    expect(schema.server_capabilities).toEqual({ plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true });
    const metadata = await call<{ server_capabilities: SchemaResponse["server_capabilities"] }>("GetMetadata", {});
    expect(metadata.server_capabilities).toEqual({ plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true });
  });

  it("leaves provider_meta unset (an empty one crashes Terraform)", () => {
    expect(schema.provider_meta).toBeNull();
  });

  it("encodes every attribute type as cty JSON and gives each a valid mode", () => {
    const isCtyType = (t: unknown): boolean =>
      t === "string" ||
      t === "number" ||
      t === "bool" ||
      t === "dynamic" ||
      (Array.isArray(t) && ["list", "set", "map"].includes(t[0] as string) && t.length === 2 && isCtyType(t[1])) ||
      (Array.isArray(t) && t[0] === "object" && typeof t[1] === "object" && Object.values(t[1] as object).every(isCtyType));
    const blocks = [schema.provider.block, ...Object.values(schema.resource_schemas).map((s) => s.block)];
    for (const block of blocks) {
      for (const a of block.attributes) {
        const text = Buffer.from(a.type).toString("utf8");
        expect(isCtyType(JSON.parse(text)), `${a.name}: ${text}`).toBe(true);
        const mode = [a.required, a.optional, a.computed];
        expect(
          [
            [true, false, false],
            [false, true, false],
            [false, false, true],
            [false, true, true],
          ],
          a.name,
        ).toContainEqual(mode);
      }
    }
  });

  it("gives the credential resource its attributes, with the secrets sensitive", () => {
    const attrs = Object.fromEntries(schema.resource_schemas[CREDENTIAL]!.block.attributes.map((a) => [a.name, a]));
    expect(Object.keys(attrs).sort()).toEqual([...ATTRIBUTES].sort());
    expect(schema.resource_schemas[CREDENTIAL]!.version).toBe("0");
    const sensitive = Object.values(attrs)
      .filter((a) => a.sensitive)
      .map((a) => a.name)
      .sort();
    expect(sensitive).toEqual(["service_credential_secret", "service_password"]);
    expect(Buffer.from(attrs.credential_age_days!.type).toString()).toBe('"number"');
    expect(Buffer.from(attrs.service_name!.type).toString()).toBe('"string"');
  });
});

describe("ValidateResourceConfig", () => {
  const validate = (config: object) => call("ValidateResourceConfig", { type_name: CREDENTIAL, config });

  it("accepts the documented example", async () => {
    const r = await validate(msgpack(credentialObject({ service_name: "codecommit.amazonaws.com", user_name: "example" })));
    expect(r.diagnostics).toEqual([]);
  });

  it("accepts unknown values (plain and refined) without judging them", async () => {
    const r = await validate(msgpack(credentialObject({ service_name: UNKNOWN, user_name: REFINED_UNKNOWN, status: UNKNOWN, credential_age_days: UNKNOWN })));
    expect(r.diagnostics).toEqual([]);
  });

  it("accepts a JSON-encoded config", async () => {
    const r = await validate({
      json: Buffer.from(JSON.stringify(credentialObject({ service_name: "bedrock.amazonaws.com", user_name: "example", credential_age_days: 30 }))),
    });
    expect(r.diagnostics).toEqual([]);
  });

  it("rejects status Expired with the reason, at status", async () => {
    const r = await validate(msgpack(credentialObject({ service_name: "bedrock.amazonaws.com", user_name: "example", status: "Expired" })));
    const e = theError(r, "Invalid attribute value");
    expect(e.detail).toMatch(/"Expired" is not allowed here[\s\S]*cannot be set/);
    expect(e.attribute?.steps).toEqual([expect.objectContaining({ attribute_name: "status" })]);
  });

  it("rejects credential_age_days for a password service, at credential_age_days", async () => {
    const r = await validate(msgpack(credentialObject({ service_name: "codecommit.amazonaws.com", user_name: "example", credential_age_days: 30 })));
    expect(theError(r, "credential_age_days does not apply to this service").attribute?.steps).toEqual([
      expect.objectContaining({ attribute_name: "credential_age_days" }),
    ]);
  });

  it("rejects an invalid user name, at user_name", async () => {
    const r = await validate(msgpack(credentialObject({ service_name: "codecommit.amazonaws.com", user_name: "bad name!" })));
    const e = theError(r, "Invalid attribute value");
    expect(e.detail).toContain('"bad name!" is not a valid IAM user name');
    expect(e.attribute?.steps).toEqual([expect.objectContaining({ attribute_name: "user_name" })]);
  });

  it("turns undecodable bytes into an error diagnostic and keeps serving", async () => {
    for (const bytes of [[0xc1], [0x81, 0xa1], [0x82, 0xa1, 0x61, 0x01], [0x93, 0x01, 0x02, 0x03]]) {
      const r = await validate({ msgpack: Buffer.from(bytes) });
      const hex = Buffer.from(bytes).toString("hex");
      expect(theError(r, "Invalid value from Terraform", hex).detail, hex).toMatch(/^The configuration could not be decoded: /);
    }
    // An object missing attributes is as wrong as garbage.
    const r = await validate(msgpack({ service_name: "codecommit.amazonaws.com", user_name: "x" }));
    expect(theError(r, "Invalid value from Terraform").detail).toMatch(/^The configuration could not be decoded: [\s\S]*missing attribute/);
    const schema = await call<{ resource_schemas: Record<string, unknown> }>("GetProviderSchema", {});
    expect(Object.keys(schema.resource_schemas)).toContain(CREDENTIAL);
  });
});

describe("ImportResourceState", () => {
  it.each(["a:b", "::", "a:b:c:d", "", "a::c", "codecommit.amazonaws.com:example"])("refuses %j naming the expected format", async (id) => {
    const r = await call<WithDiagnostics & { imported_resources: unknown[] }>("ImportResourceState", { type_name: CREDENTIAL, id });
    expect(theError(r, "Invalid import id").detail).toContain(ID_FORMAT);
    expect(r.imported_resources).toEqual([]);
  });

  it("returns exactly one full object for a well-formed id", async () => {
    const id = "codecommit.amazonaws.com:example:ACCAEXAMPLE123EXAMPLE";
    const r = await call<WithDiagnostics & { imported_resources: { type_name: string; state: { msgpack: Buffer } }[] }>("ImportResourceState", {
      type_name: CREDENTIAL,
      id,
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.imported_resources).toHaveLength(1);
    expect(r.imported_resources[0]!.type_name).toBe(CREDENTIAL);
    const state = decode(r.imported_resources[0]!.state.msgpack) as Record<string, unknown>;
    expect(state).toEqual(
      credentialObject({ id, service_name: "codecommit.amazonaws.com", user_name: "example", service_specific_credential_id: "ACCAEXAMPLE123EXAMPLE" }),
    );
  });
});

describe("UpgradeResourceState", () => {
  type Upgrade = WithDiagnostics & { upgraded_state: { msgpack: Buffer } | null };
  const upgrade = (json: string, version = 0) =>
    call<Upgrade>("UpgradeResourceState", { type_name: CREDENTIAL, version, raw_state: { json: Buffer.from(json) } });

  it("returns the stored object as msgpack with every attribute", async () => {
    const stored = credentialObject({
      id: "codecommit.amazonaws.com:example:ACCA1234567890EXAMPLE",
      service_name: "codecommit.amazonaws.com",
      user_name: "example",
      status: "Active",
      service_password: "s3cret-Passw0rd-value",
      service_user_name: "example-at-123456789012",
      service_specific_credential_id: "ACCA1234567890EXAMPLE",
      create_date: "2025-10-01T12:34:56Z",
    });
    const r = await upgrade(JSON.stringify(stored));
    expect(r.diagnostics).toEqual([]);
    expect(r.upgraded_state).not.toBeNull();
    expect(decode(r.upgraded_state!.msgpack)).toEqual(stored);
  });

  it("fills attributes an older state lacks and drops ones the schema no longer has", async () => {
    const r = await upgrade(JSON.stringify({ id: "x:y:z", service_name: "x", user_name: "y", retired_attribute: 1 }));
    expect(r.diagnostics).toEqual([]);
    // The credential id missing beside the id is read from it.
    expect(decode(r.upgraded_state!.msgpack)).toEqual(
      credentialObject({ id: "x:y:z", service_name: "x", user_name: "y", service_specific_credential_id: "z" }),
    );
  });

  it("still answers with upgraded_state when the stored JSON is unreadable", async () => {
    const r = await upgrade("{not json");
    expect(r.upgraded_state).not.toBeNull();
    expect(theError(r, "Unreadable stored state").detail).toMatch(/could not be read: invalid JSON/);
  });

  it("refuses state from a newer schema version", async () => {
    const r = await upgrade(JSON.stringify(credentialObject({})), 7);
    expect(theError(r, "State written by a newer provider").detail).toContain("schema version 7");
  });
});

describe("MoveResourceState", () => {
  type Move = WithDiagnostics & { target_state: { msgpack: Buffer } | null; target_private: Buffer };
  const password = "Mv3d-Passw0rd/value+kept=";
  const official = {
    ...credentialObject({
      id: "codecommit.amazonaws.com:example:ACCA1234567890EXAMPLE",
      service_name: "codecommit.amazonaws.com",
      user_name: "example",
      status: "Active",
      service_password: password,
      service_user_name: "example-at-123456789012",
      service_specific_credential_id: "ACCA1234567890EXAMPLE",
      create_date: "2025-10-01T12:34:56Z",
    }),
    service_credential_secret: "",
    service_credential_alias: "",
  };
  const move = (extra: object) =>
    call<Move>("MoveResourceState", {
      source_provider_address: "registry.terraform.io/hashicorp/aws",
      source_type_name: CREDENTIAL,
      source_schema_version: "0",
      source_state: { json: Buffer.from(JSON.stringify(official)) },
      target_type_name: CREDENTIAL,
      source_private: Buffer.from('{"schema_version":"0"}'),
      ...extra,
    });

  it("takes over the official provider's credential, password included", async () => {
    const r = await move({});
    expect(r.diagnostics).toEqual([]);
    const state = decode(r.target_state!.msgpack) as Record<string, unknown>;
    expect(state.service_password === password, "the moved password differs").toBe(true);
    expect(state).toEqual({
      ...official,
      service_password: state.service_password,
      service_credential_secret: null,
      service_credential_alias: null,
      // Arguments and results the official provider does not have.
      ...Object.fromEntries(
        ["reset_trigger", "early_renewal_days", "pgp_key", "encrypted_service_password", "encrypted_service_credential_secret", "key_fingerprint"].map((n) => [
          n,
          null,
        ]),
      ),
    });
  });

  it("refuses another provider and a newer schema version with an error naming them", async () => {
    const other = await move({ source_provider_address: "registry.terraform.io/hashicorp/google" });
    expect(theError(other, "Cannot move from this provider").detail).toContain("registry.terraform.io/hashicorp/google");
    expect(other.target_state).toBeNull();
    const newer = await move({ source_schema_version: "3" });
    expect(theError(newer, "Cannot move state of this schema version").detail).toContain("schema version 3");
    for (const r of [other, newer]) expect(JSON.stringify(r.diagnostics).includes(password)).toBe(false);
  });
});

describe("PlanResourceChange (no configuration needed)", () => {
  type Plan = WithDiagnostics & { planned_state: { msgpack: Buffer }; requires_replace: { steps: Record<string, unknown>[] }[] };
  const config = credentialObject({ service_name: "codecommit.amazonaws.com", user_name: "example" });

  it("plans a create: status defaults to Active, computed attributes unknown", async () => {
    const r = await call<Plan>("PlanResourceChange", {
      type_name: CREDENTIAL,
      prior_state: NULL_VALUE,
      proposed_new_state: msgpack(config),
      config: msgpack(config),
    });
    expect(errors(r)).toEqual([]);
    const planned = decode(r.planned_state.msgpack) as Record<string, unknown>;
    expect(planned.service_name).toBe("codecommit.amazonaws.com");
    expect(planned.status).toBe("Active");
    expect(planned.credential_age_days).toBeNull();
    for (const a of ["id", "service_password", "service_specific_credential_id", "create_date"]) {
      expect(planned[a], a).toBeInstanceOf(ExtData);
    }
    expect(r.requires_replace).toEqual([]);
  });

  it("plans a destroy as null (plan_destroy)", async () => {
    const prior = credentialObject({ id: "a:b:c", service_name: "codecommit.amazonaws.com", user_name: "example", status: "Active" });
    const r = await call<Plan>("PlanResourceChange", {
      type_name: CREDENTIAL,
      prior_state: msgpack(prior),
      proposed_new_state: NULL_VALUE,
      config: NULL_VALUE,
    });
    expect(errors(r)).toEqual([]);
    expect(decode(r.planned_state.msgpack)).toBeNull();
  });

  it("echoes a refined unknown from the configuration byte for byte", async () => {
    const withRefined = credentialObject({ service_name: "codecommit.amazonaws.com", user_name: REFINED_UNKNOWN });
    const r = await call<Plan>("PlanResourceChange", {
      type_name: CREDENTIAL,
      prior_state: NULL_VALUE,
      proposed_new_state: msgpack(withRefined),
      config: msgpack(withRefined),
    });
    expect(errors(r)).toEqual([]);
    expect(Buffer.from(r.planned_state.msgpack).includes(Buffer.from("c7070c8201c202a2752d", "hex"))).toBe(true);
  });
});
