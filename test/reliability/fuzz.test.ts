/**
 * Issue 6: bad input gets a clear answer and changes nothing. Every tfplugin6 RPC is called
 * with malformed and random DynamicValues (wrong types, missing and extra attributes,
 * truncated msgpack, huge numbers, deep nesting, invalid UTF-8, stray extensions, broken
 * JSON) and malformed import ids:
 *  - in-process, through the gRPC adapter's own handlers (requests and responses pass through
 *    the real protobuf codecs), 10,000+ seeded cases;
 *  - over a real mTLS gRPC connection to the built executable, a few hundred more.
 * Each answer is either an error diagnostic or a valid answer (its values decode by the
 * schema); nothing is answered with a gRPC error, no promise is left rejected, and the server
 * keeps serving. The seed is printed; FUZZ_SEED=<n> replays a run.
 */
import { encode, ExtData } from "@msgpack/msgpack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CtyType } from "../../src/values/cty-type.ts";
import { decodeDynamicValue } from "../../src/protocol/dynamic-value.ts";
import { providerHandlers } from "../../src/protocol/provider-service.ts";
import { FrameworkServer } from "../../src/framework/framework-server.ts";
import { blockType } from "../../src/framework/schema.ts";
import { awsProvider, providerSchema } from "../../src/provider/aws-provider.ts";
import { iamServiceSpecificCredential } from "../../src/resources/iam-service-specific-credential.ts";
import { iamUser } from "../../src/resources/iam-user.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { serviceMethods } from "../../src/transport/protobuf-codec.ts";
import { startEmulator, type Emulator } from "../../src/emulator/index.ts";
import { killAllStarted, startPlugin, unary, type PluginProcess } from "../support/plugin-process.ts";

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const IN_PROCESS_CASES = 10_500;
const GRPC_CASES = 300;

// --- a seeded generator -------------------------------------------------------------------------

class Gen {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  string(): string {
    switch (this.int(8)) {
      case 0:
        return "";
      case 1:
        return this.pick(["codecommit.amazonaws.com", "bedrock.amazonaws.com", "Active", "Inactive", "Expired", "fuzz-user", "/", "/a/b/", "us-east-1"]);
      case 2:
        return "x".repeat(this.int(300));
      case 3:
        return String.fromCodePoint(...Array.from({ length: 1 + this.int(12) }, () => this.pick([0x41, 0x3a, 0xe9, 0x4e2d, 0x1f600, 0x0, 0x202e, 0xfeff])));
      case 4:
        return Array.from({ length: 1 + this.int(4) }, () => this.pick(["a", "", "b:c", "::", " ", "fuzz-user", "ACCA0000"])).join(":");
      default:
        return Math.random()
          .toString(36)
          .slice(2, 2 + this.int(20));
    }
  }
  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }
}

// --- values by type -----------------------------------------------------------------------------

const UNKNOWN = new ExtData(0, new Uint8Array([0]));
const RAW = "\u0000raw-bytes-placeholder\u0000";

function validValue(g: Gen, type: CtyType, depth = 0): unknown {
  if (g.chance(0.15)) return null;
  if (g.chance(0.05)) return UNKNOWN;
  if (type === "string") return g.string();
  if (type === "number") return g.pick([0, 1, 30, -1, 1.5, 36600, 1e21, g.int(100000)]);
  if (type === "bool") return g.chance(0.5);
  if (type === "dynamic") return null;
  switch (type[0]) {
    case "list":
    case "set":
      return depth > 4 ? [] : Array.from({ length: g.int(3) }, () => validValue(g, type[1], depth + 1));
    case "map":
      return Object.fromEntries(Array.from({ length: g.int(3) }, () => [g.string(), validValue(g, type[1], depth + 1)]));
    case "tuple":
      return type[1].map((t) => validValue(g, t, depth + 1));
    case "object":
      return Object.fromEntries(Object.entries(type[1]).map(([k, t]) => [k, validValue(g, t, depth + 1)]));
  }
}

/** A value no decoder may take for `type`. */
function wrongValue(g: Gen, type: CtyType): unknown {
  if (type === "string") return g.pick([[1, 2], { a: "b" }, true, 42]);
  if (type === "number") return g.pick([[1], { a: 1 }, true, "not-a-number"]);
  if (type === "bool") return g.pick([[true], { a: true }, 42, "maybe"]);
  if (type === "dynamic") return "no-type-wrapper";
  if (type[0] === "list" || type[0] === "set" || type[0] === "tuple") return g.pick([42, true, "list"]);
  return g.pick([42, true, "object", [1, 2, 3]]);
}

interface Payload {
  dv: { msgpack?: Buffer; json?: Buffer } | null;
  kind: string;
  /** A decoder must refuse this. */
  invalid: boolean;
}

function encodeWithRaw(value: unknown, raw?: Buffer): Buffer {
  const bytes = Buffer.from(encode(value, { useBigInt64: true }));
  if (!raw) return bytes;
  const marker = Buffer.from(encode(RAW));
  const at = bytes.indexOf(marker);
  return at < 0 ? bytes : Buffer.concat([bytes.subarray(0, at), raw, bytes.subarray(at + marker.length)]);
}

function objectAttrs(type: CtyType): Record<string, CtyType> | undefined {
  return typeof type !== "string" && type[0] === "object" ? (type[1] as Record<string, CtyType>) : undefined;
}

/** A DynamicValue for `type`, valid or broken in one of many ways. */
function payload(g: Gen, type: CtyType, biasUser = false): Payload {
  const attrs = objectAttrs(type)!;
  const names = Object.keys(attrs);
  const valid = () => {
    const v = validValue(g, type) as Record<string, unknown> | null;
    const obj = v && typeof v === "object" && !(v instanceof ExtData) ? v : (Object.fromEntries(names.map((n) => [n, null])) as Record<string, unknown>);
    if (biasUser && "user_name" in obj && g.chance(0.4)) obj.user_name = "fuzz-user";
    if (biasUser && "service_name" in obj && g.chance(0.5)) obj.service_name = g.pick(["codecommit.amazonaws.com", "bedrock.amazonaws.com"]);
    return obj;
  };
  const mp = (v: unknown, raw?: Buffer) => ({ msgpack: encodeWithRaw(v, raw) });
  const stringAttrs = names.filter((n) => attrs[n] === "string");
  const numberAttrs = names.filter((n) => attrs[n] === "number");
  switch (g.int(16)) {
    case 0:
      return { dv: g.chance(0.5) ? null : { msgpack: Buffer.from([0xc0]) }, kind: "null", invalid: false };
    case 1:
    case 2:
      return { dv: mp(valid()), kind: "valid", invalid: false };
    case 3: {
      const o = valid();
      for (const n of names) if (g.chance(0.3)) o[n] = UNKNOWN;
      return { dv: mp(o), kind: "unknowns", invalid: false };
    }
    case 4: {
      const o = valid();
      delete o[g.pick(names)];
      return { dv: mp(o), kind: "missing attribute", invalid: true };
    }
    case 5: {
      const o = valid();
      o[`extra_${g.int(1000)}`] = g.string();
      return { dv: mp(o), kind: "extra attribute", invalid: true };
    }
    case 6: {
      const o = valid();
      const n = g.pick(names);
      o[n] = wrongValue(g, attrs[n]!);
      return { dv: mp(o), kind: `wrong type for ${n}`, invalid: true };
    }
    case 7: {
      const full = encodeWithRaw(valid());
      return { dv: { msgpack: full.subarray(0, 1 + g.int(full.length - 1)) }, kind: "truncated", invalid: true };
    }
    case 8:
      return { dv: { msgpack: g.bytes(1 + g.int(64)) }, kind: "random bytes", invalid: false };
    case 9: {
      const o = valid();
      if (numberAttrs.length === 0) return { dv: mp(o), kind: "valid", invalid: false };
      o[g.pick(numberAttrs)] = g.pick<unknown>([
        1e308,
        -1e308,
        Number.MAX_SAFE_INTEGER + 2,
        2n ** 64n - 1n,
        -(2n ** 63n),
        NaN,
        Infinity,
        "1e999999",
        "123456789012345678901234567890",
        "-0",
      ]);
      return { dv: mp(o), kind: "huge number", invalid: false };
    }
    case 10: {
      const o = valid();
      const depth = g.pick([70, 1000, 100_000]);
      o[g.pick(names)] = RAW;
      return { dv: mp(o, Buffer.concat([Buffer.alloc(depth, 0x91), Buffer.from([0xc0])])), kind: `nested ${depth} deep`, invalid: true };
    }
    case 11: {
      const o = valid();
      if (stringAttrs.length === 0) return { dv: mp(o), kind: "valid", invalid: false };
      o[g.pick(stringAttrs)] = RAW;
      return { dv: mp(o, Buffer.from([0xa4, 0xff, 0xfe, 0xc3, 0x28])), kind: "invalid UTF-8", invalid: false };
    }
    case 12: {
      // A map header claiming four billion entries, then nothing.
      const header = g.pick([
        Buffer.from([0xdf, 0xff, 0xff, 0xff, 0xff]),
        Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]),
        Buffer.from([0xdb, 0xff, 0xff, 0xff, 0xff]),
      ]);
      return { dv: { msgpack: g.chance(0.5) ? header : encodeWithRaw({ [g.pick(names)]: RAW }, header) }, kind: "huge length header", invalid: true };
    }
    case 13: {
      const o = valid();
      o[g.pick(names)] = new ExtData(g.pick([0, 12, 99, -1]), g.bytes(g.int(10)));
      return { dv: mp(o), kind: "odd extension", invalid: false };
    }
    case 14: {
      const choice = g.int(4);
      const texts = [JSON.stringify(valid()), "{", "[".repeat(100_000), JSON.stringify({ ...valid(), [g.pick(names)]: [[["deep"]]] })];
      return { dv: { json: Buffer.from(texts[choice]!) }, kind: "json", invalid: choice === 1 || choice === 2 };
    }
    default: {
      // A different object type entirely (another resource's, or the provider's).
      const other = g.pick([blockType(iamUser.schema.block), blockType(iamServiceSpecificCredential.schema.block), blockType(providerSchema)]);
      const same = JSON.stringify(other) === JSON.stringify(type);
      return { dv: mp(validValue(g, other) ?? {}), kind: "another type", invalid: false && same };
    }
  }
}

// --- requests -------------------------------------------------------------------------------------

const RESOURCE_TYPES = [iamServiceSpecificCredential.typeName, iamUser.typeName];
const TYPES: Record<string, CtyType> = {
  [iamServiceSpecificCredential.typeName]: blockType(iamServiceSpecificCredential.schema.block),
  [iamUser.typeName]: blockType(iamUser.schema.block),
};
const PROVIDER_TYPE = blockType(providerSchema);

interface Case {
  rpc: string;
  request: Record<string, unknown>;
  kind: string;
  mustFail: boolean;
  typeName?: string;
}

function importId(g: Gen): string {
  return g.pick([
    "",
    ":",
    "::",
    ":::",
    "a:b",
    "a:b:c:d",
    " : : ",
    "codecommit.amazonaws.com::ACCA1",
    "codecommit.amazonaws.com:fuzz-user:",
    "x".repeat(10_000),
    "\u0000:\u0000:\u0000",
    "💥:💥:💥",
    g.string(),
    `${g.string()}:${g.string()}:${g.string()}`,
  ]);
}

function fuzzCase(g: Gen, allowConfigure: boolean): Case {
  const typeName = g.chance(0.93) ? g.pick(RESOURCE_TYPES) : g.pick(["", "aws_nothing", "aws_iam_user\u0000", "💥"]);
  const type = TYPES[typeName];
  const knownType = type !== undefined;
  const res = (p: Payload) => ({ kind: p.kind, mustFail: p.invalid && knownType });
  const anyPayload = (t: CtyType = type ?? PROVIDER_TYPE, bias = false) => payload(g, t, bias);
  const priv = () => g.pick([Buffer.alloc(0), Buffer.from('{"created":true}'), Buffer.from('{"import":true}'), g.bytes(g.int(20))]);
  const rpcs = [
    "ValidateResourceConfig",
    "PlanResourceChange",
    "PlanResourceChange",
    "ApplyResourceChange",
    "ApplyResourceChange",
    "ReadResource",
    "ReadResource",
    "UpgradeResourceState",
    "UpgradeResourceState",
    "ImportResourceState",
    "ImportResourceState",
    "ValidateProviderConfig",
    "MoveResourceState",
    "ReadDataSource",
    "ValidateDataResourceConfig",
    "ValidateEphemeralResourceConfig",
    "OpenEphemeralResource",
    "RenewEphemeralResource",
    "CloseEphemeralResource",
    "CallFunction",
    ...(allowConfigure ? ["ConfigureProvider"] : []),
  ];
  // The RPCs without input (the schema is the costliest answer) now and then, between the others.
  const rpc = g.chance(0.04) ? g.pick(["GetProviderSchema", "GetMetadata", "GetFunctions", "StopProvider"]) : g.pick(rpcs);
  switch (rpc) {
    case "ValidateResourceConfig": {
      const p = anyPayload();
      return { rpc, request: { type_name: typeName, config: p.dv, client_capabilities: { deferral_allowed: g.chance(0.5) } }, typeName, ...res(p) };
    }
    case "ValidateProviderConfig":
    case "ConfigureProvider": {
      const p = payload(g, PROVIDER_TYPE);
      return { rpc, request: { config: p.dv, terraform_version: g.pick(["1.11.4", "", g.string()]) }, kind: p.kind, mustFail: p.invalid };
    }
    case "PlanResourceChange":
    case "ApplyResourceChange": {
      // One of the three values is fuzzed; the others are null or valid.
      const values = [anyPayload(type, true), anyPayload(type, true), anyPayload(type, true)];
      const fuzzed = g.int(3);
      for (let i = 0; i < 3; i++) if (i !== fuzzed && values[i]!.invalid) values[i] = { dv: { msgpack: Buffer.from([0xc0]) }, kind: "null", invalid: false };
      const [a, b, c] = values as [Payload, Payload, Payload];
      const request =
        rpc === "PlanResourceChange"
          ? {
              type_name: typeName,
              prior_state: a.dv,
              proposed_new_state: b.dv,
              config: c.dv,
              prior_private: priv(),
              provider_meta: g.chance(0.2) ? { msgpack: g.bytes(4) } : null,
            }
          : { type_name: typeName, prior_state: a.dv, planned_state: b.dv, config: c.dv, planned_private: priv(), provider_meta: null };
      return { rpc, request, typeName, kind: values[fuzzed]!.kind, mustFail: values[fuzzed]!.invalid && knownType };
    }
    case "ReadResource": {
      const p = anyPayload(type, true);
      return { rpc, request: { type_name: typeName, current_state: p.dv, private: priv(), provider_meta: null }, typeName, ...res(p) };
    }
    case "UpgradeResourceState": {
      const p = anyPayload();
      const json = p.dv?.json ?? (g.chance(0.5) ? Buffer.from(JSON.stringify(validValue(g, type ?? PROVIDER_TYPE) ?? {})) : g.bytes(g.int(30)));
      const version = g.pick(["0", "1", "-1", "9223372036854775807", String(g.int(5))]);
      return {
        rpc,
        request: { type_name: typeName, version, raw_state: g.chance(0.1) ? { flatmap: { "a.#": "1", id: g.string() } } : { json } },
        typeName,
        kind: `raw_state ${p.kind}`,
        mustFail: false,
      };
    }
    case "ImportResourceState":
      return { rpc, request: { type_name: typeName, id: importId(g), client_capabilities: null }, typeName, kind: "import id", mustFail: !knownType };
    case "CallFunction":
      return { rpc, request: { name: g.string(), arguments: [anyPayload().dv ?? {}] }, kind: "function", mustFail: true };
    case "MoveResourceState":
      return {
        rpc,
        request: {
          source_provider_address: g.string(),
          source_type_name: g.string(),
          source_schema_version: "0",
          source_state: { json: g.bytes(8) },
          target_type_name: typeName,
          source_private: g.bytes(3),
        },
        kind: "move",
        mustFail: true,
      };
    case "ReadDataSource":
    case "ValidateDataResourceConfig":
    case "ValidateEphemeralResourceConfig":
    case "OpenEphemeralResource": {
      const p = anyPayload();
      return { rpc, request: { type_name: typeName, config: p.dv }, kind: p.kind, mustFail: true };
    }
    case "RenewEphemeralResource":
    case "CloseEphemeralResource":
      return { rpc, request: { type_name: typeName, private: g.bytes(8) }, kind: "ephemeral", mustFail: true };
    default:
      return { rpc, request: {}, kind: "no input", mustFail: false };
  }
}

// --- checking answers ---------------------------------------------------------------------------

interface Diag {
  severity: string;
  summary: string;
}

/** Problems with one answer, if any. */
function checkAnswer(c: Case, response: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const diags = (response.diagnostics as Diag[] | undefined) ?? [];
  for (const d of diags) {
    if (d.severity !== "ERROR" && d.severity !== "WARNING") problems.push(`diagnostic with severity ${d.severity}`);
    if (!d.summary) problems.push("diagnostic without a summary");
  }
  const failed = diags.some((d) => d.severity === "ERROR");
  if (c.rpc === "CallFunction") return (response.error as { text?: string } | null)?.text ? problems : [...problems, "CallFunction without an error"];
  if (c.rpc === "StopProvider") return problems;
  if (c.mustFail && !failed) problems.push(`no error diagnostic for ${c.kind}`);
  if (failed) return problems;
  const type = c.typeName ? TYPES[c.typeName] : undefined;
  const decodes = (field: string, dv: unknown) => {
    if (!type) return;
    try {
      decodeDynamicValue(dv as { msgpack?: Uint8Array }, type);
    } catch (err) {
      problems.push(`${field} does not decode: ${(err as Error).message}`);
    }
  };
  switch (c.rpc) {
    case "PlanResourceChange":
      decodes("planned_state", response.planned_state);
      break;
    case "ApplyResourceChange":
    case "ReadResource":
      decodes("new_state", response.new_state);
      break;
    case "UpgradeResourceState":
      if (!response.upgraded_state) problems.push("no upgraded_state");
      decodes("upgraded_state", response.upgraded_state);
      break;
    case "ImportResourceState": {
      const imported = (response.imported_resources as { type_name: string; state: unknown }[] | undefined) ?? [];
      if (imported.length !== 1) problems.push(`${imported.length} imported resources`);
      for (const r of imported) {
        if (r.type_name !== c.typeName) problems.push(`imported type ${r.type_name}`);
        decodes("imported state", r.state);
      }
      break;
    }
  }
  return problems;
}

// --- the runs -------------------------------------------------------------------------------------

let emulator: Emulator;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  emulator = await startEmulator({ profile: "aws" });
  await fetch(`${emulator.url}/__emulator/users`, { method: "POST", body: JSON.stringify({ name: "fuzz-user" }) });
  // A fuzzed provider block may ask for a profile or the default credential chain: keep the
  // SDK away from this machine's files and from instance metadata.
  for (const [k, v] of Object.entries({
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
  })) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  process.on("unhandledRejection", onUnhandled);
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await killAllStarted();
  await emulator?.close();
});

function providerEnv(): Record<string, string> {
  return {
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: "AKIAFUZZ",
    AWS_SECRET_ACCESS_KEY: "fuzz-secret",
    // Unknown users are not waited for.
    TF_AWS_IAM_PROPAGATION_TIMEOUT: "0.001",
  };
}

const CONFIG = {
  msgpack: Buffer.from(
    encode(
      Object.fromEntries(
        Object.keys(objectAttrs(PROVIDER_TYPE)!).map((k) => [
          k,
          k === "skip_credentials_validation" ? true : k === "endpoints" || k === "assume_role" || k === "default_tags" ? [] : null,
        ]),
      ),
    ),
  ),
};

/** Handlers as the gRPC server calls them, with the provider's codec on both sides. */
function inProcessService(server: FrameworkServer<unknown>) {
  const handlers = providerHandlers(server, createLogger({ level: "off", module: "fuzz" }));
  const methods = new Map(serviceMethods("tfplugin6.Provider").map((m) => [m.name, m]));
  return async (rpc: string, request: object): Promise<Record<string, unknown>> => {
    const method = methods.get(rpc)!;
    const wireRequest = method.request.decode(method.request.encode(request));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${rpc} did not answer within 10 s`)), 10_000)));
    const signal = new AbortController().signal;
    try {
      const res = await Promise.race([Promise.resolve(handlers[rpc]!(wireRequest as never, { signal })), timeout]);
      try {
        return method.response.decode(method.response.encode(res)) as Record<string, unknown>;
      } catch (e) {
        throw new Error(`${rpc}'s answer cannot be sent: ${(e as Error).message}`);
      }
    } finally {
      clearTimeout(timer);
    }
  };
}

describe(`fuzzing every RPC (seed ${SEED})`, () => {
  it(`${IN_PROCESS_CASES} cases in-process through the gRPC handlers`, { timeout: 120_000 }, async () => {
    const g = new Gen(SEED);
    const server = new FrameworkServer(awsProvider(), { logger: createLogger({ level: "off", module: "fuzz" }), env: providerEnv() });
    const configServer = new FrameworkServer(awsProvider(), { logger: createLogger({ level: "off", module: "fuzz" }), env: providerEnv() });
    const call = inProcessService(server);
    const callConfig = inProcessService(configServer);
    expect((await call("ConfigureProvider", { config: CONFIG })).diagnostics).toEqual([]);

    const problems: string[] = [];
    const byRpc = new Map<string, number>();
    /** Answers without an error, whose values were checked against the schema. */
    const validAnswers = new Map<string, number>();
    let errors = 0;
    const started = performance.now();
    for (let i = 0; i < IN_PROCESS_CASES; i++) {
      const c = fuzzCase(g, true);
      byRpc.set(c.rpc, (byRpc.get(c.rpc) ?? 0) + 1);
      try {
        const response = await (c.rpc === "ConfigureProvider" ? callConfig : call)(c.rpc, c.request);
        if (((response.diagnostics as Diag[] | undefined) ?? []).some((d) => d.severity === "ERROR")) errors++;
        else validAnswers.set(c.rpc, (validAnswers.get(c.rpc) ?? 0) + 1);
        for (const p of checkAnswer(c, response)) problems.push(`case ${i} ${c.rpc} ${c.typeName ?? ""} (${c.kind}): ${p}`);
      } catch (err) {
        problems.push(`case ${i} ${c.rpc} (${c.kind}): ${(err as Error).message}`);
      }
      if (problems.length > 20) break;
    }
    // Still serving: a well-formed request gets a well-formed answer.
    const schema = await call("GetProviderSchema", {});
    expect(Object.keys(schema.resource_schemas as object).sort()).toEqual([...RESOURCE_TYPES].sort());
    await new Promise((r) => setTimeout(r, 50));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[fuzz in-process] seed ${SEED}: ${IN_PROCESS_CASES} cases (${errors} answered with an error diagnostic) over ${byRpc.size} RPCs in ${seconds.toFixed(1)} s`,
    );
    expect(problems).toEqual([]);
    expect(unhandled).toEqual([]);
    // The valid-answer checks ran too, not only the refusals (how often depends on the seed: 10 to 20 imports, say).
    for (const rpc of ["ValidateResourceConfig", "PlanResourceChange", "ApplyResourceChange", "ReadResource", "UpgradeResourceState", "ImportResourceState"]) {
      expect(validAnswers.get(rpc) ?? 0, `${rpc} answers checked`).toBeGreaterThan(0);
    }
    console.log(`[fuzz in-process] valid answers checked: ${[...validAnswers].map(([k, v]) => `${k} ${v}`).join(", ")}`);
  });

  it(`${GRPC_CASES} cases over mTLS gRPC to the built provider, which keeps serving`, { timeout: 120_000 }, async () => {
    let plugin: PluginProcess | undefined;
    try {
      plugin = await startPlugin({ env: providerEnv() });
      const provider = plugin.client("tfplugin6.Provider");
      expect(((await unary<Record<string, unknown>>(provider, "ConfigureProvider", { config: CONFIG })).diagnostics as unknown[]).length).toBe(0);
      const g = new Gen(SEED + 1);
      const problems: string[] = [];
      const started = performance.now();
      for (let i = 0; i < GRPC_CASES; i++) {
        const c = fuzzCase(g, false);
        try {
          const response = await unary<Record<string, unknown>>(provider, c.rpc, c.request, 15_000);
          for (const p of checkAnswer(c, response)) problems.push(`case ${i} ${c.rpc} (${c.kind}): ${p}`);
        } catch (err) {
          problems.push(`case ${i} ${c.rpc} (${c.kind}): gRPC error ${(err as Error).message}`);
        }
      }
      expect(problems).toEqual([]);
      expect(plugin.child.exitCode).toBeNull();
      expect(await unary(plugin.client("grpc.health.v1.Health"), "Check", { service: "plugin" })).toEqual({ status: "SERVING" });
      expect(plugin.output.stderr).not.toMatch(/panic:/);
      console.log(`[fuzz gRPC] seed ${SEED + 1}: ${GRPC_CASES} cases in ${((performance.now() - started) / 1000).toFixed(1)} s; the provider is still serving`);
    } finally {
      await plugin?.stop();
    }
  });
});
