// The run-time codec against protobufjs, which it replaced and which stays the oracle: the same
// objects out of the same bytes, bytes protobufjs reads back the same, and no crash on garbage.
import protobuf from "protobufjs/light.js";
import { describe, expect, it, vi } from "vitest";
import descriptor from "../../src/generated/proto-descriptor.json" with { type: "json" };
import { messageCodec, serviceMethods, type MessageCodec } from "../../src/transport/protobuf-codec.ts";

const OPTIONS: protobuf.IConversionOptions = { longs: String, enums: String, bytes: Buffer, defaults: true, oneofs: true };

// Fixed by default so runs are reproducible; FUZZ_SEED=<n> tries another.
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const ITERATIONS = Number(process.env.CODEC_FUZZ_ITERATIONS ?? 6000);

function oracleRoot(json: unknown): protobuf.Root {
  const root = protobuf.Root.fromJSON(json as protobuf.INamespace);
  root.resolveAll();
  return root;
}

const root = oracleRoot(descriptor);

function oracle(fullName: string, from = root) {
  const type = from.lookupType(fullName);
  return {
    type,
    encode: (message: object): Buffer => Buffer.from(type.encode(type.fromObject(message)).finish()),
    decode: (bytes: Uint8Array): object => type.toObject(type.decode(bytes), OPTIONS),
  };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function attribute(name: string, type: unknown, flags: Record<string, unknown> = {}) {
  return { name, type: json(type), description: `The ${name}.`, description_kind: "MARKDOWN", ...flags };
}

/** A provider schema shaped like a real one: maps of schemas, nested blocks and nested attribute types. */
function schemaResponse(resources = 3) {
  const block = (i: number) => ({
    version: i,
    description: "A resource.",
    attributes: [
      attribute("id", "string", { computed: true }),
      attribute("user_name", "string", { required: true }),
      attribute("tags", ["map", "string"], { optional: true }),
      attribute("secret", "string", { computed: true, sensitive: true, write_only: i % 2 === 0 }),
      {
        name: "rules",
        nested_type: {
          nesting: "LIST",
          min_items: "0",
          max_items: 10,
          attributes: [attribute("action", "string", { required: true }), attribute("priority", "number", { optional: true })],
        },
        optional: true,
      },
    ],
    block_types: [
      {
        type_name: "timeouts",
        nesting: "SINGLE",
        block: { attributes: [attribute("create", "string", { optional: true })], deprecated: true },
      },
      { type_name: "statement", nesting: 3, min_items: 1n, max_items: "9223372036854775807", block: { attributes: [attribute("effect", "string")] } },
    ],
  });
  return {
    provider: { version: "0", block: { attributes: [attribute("region", "string", { optional: true })] } },
    resource_schemas: Object.fromEntries(Array.from({ length: resources }, (_, i) => [`aws_thing_${i}`, { version: i, block: block(i) }])),
    data_source_schemas: { aws_thing: { block: block(7) } },
    ephemeral_resource_schemas: {},
    functions: {
      parse_arn: {
        parameters: [{ name: "arn", type: json("string"), allow_null_value: true, description_kind: "PLAIN" }],
        variadic_parameter: null,
        return: { type: json(["object", { partition: "string" }]) },
        summary: "Parses an ARN.",
        deprecation_message: "",
      },
    },
    diagnostics: [{ severity: "WARNING", summary: "heads up", detail: "ünïcödé ✓ 🚀" }],
    server_capabilities: { plan_destroy: true, get_provider_schema_optional: false, move_resource_state: true },
  };
}

const msgpack = (size: number, seed: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff));

const CASES: [string, string, object][] = [
  ["a realistic schema", "tfplugin6.GetProviderSchema.Response", schemaResponse()],
  [
    "attribute paths with every step kind",
    "tfplugin6.Diagnostic",
    {
      severity: "ERROR",
      summary: "bad",
      detail: "A long detail, so the string is measured before it is written: ünïcödé, 🚀, ✓. ".repeat(4),
      attribute: {
        steps: [
          { attribute_name: "tags" },
          { element_key_string: "" },
          { element_key_string: "Name" },
          { element_key_int: "9007199254740993" },
          { element_key_int: "-42" },
          { element_key_int: 0 },
          { element_key_int: -9007199254740993n },
          { element_key_int: "9223372036854775807" },
          { element_key_int: "-9223372036854775808" },
        ],
      },
    },
  ],
  ["a step by name", "tfplugin6.AttributePath.Step", { attribute_name: "a" }],
  ["a step by string key", "tfplugin6.AttributePath.Step", { element_key_string: "k" }],
  ["a step by int key", "tfplugin6.AttributePath.Step", { element_key_int: "-9007199254740993" }],
  ["a function error without argument", "tfplugin6.FunctionError", { text: "no" }],
  ["a function error with argument", "tfplugin6.FunctionError", { text: "no", function_argument: "3" }],
  ["a function error with argument 0", "tfplugin6.FunctionError", { text: "", function_argument: 0 }],
  ["a dynamic value", "tfplugin6.DynamicValue", { msgpack: msgpack(300, 1), json: Buffer.from("{}") }],
  [
    "an apply request with private bytes",
    "tfplugin6.ApplyResourceChange.Request",
    {
      type_name: "aws_iam_service_specific_credential",
      prior_state: { msgpack: msgpack(20, 2) },
      planned_state: { msgpack: msgpack(1100, 3) },
      config: { msgpack: new Uint8Array(msgpack(900, 4)) },
      planned_private: Buffer.from(JSON.stringify({ schema_version: "1", e2bfb730: { create: 6e11 } })),
      provider_meta: { msgpack: Buffer.from([0xc0]) },
    },
  ],
  ["an enum by name", "tfplugin6.Diagnostic", { severity: "WARNING" }],
  ["an enum by number", "tfplugin6.Diagnostic", { severity: 1 }],
  ["an unknown enum number", "tfplugin6.Diagnostic", { severity: 7 }],
  ["a negative enum number", "tfplugin6.Diagnostic", { severity: -2 }],
  ["a health check response", "grpc.health.v1.HealthCheckResponse", { status: "SERVING" }],
  ["a health check request", "grpc.health.v1.HealthCheckRequest", { service: "plugin" }],
  ["an empty message", "tfplugin6.GetProviderSchema.Request", {}],
  ["an empty message with unknown keys", "tfplugin6.StopProvider.Request", { ignored: 1 }],
  ["a stop response", "tfplugin6.StopProvider.Response", { Error: "stopping" }],
  ["raw state with a flatmap", "tfplugin6.RawState", { json: json({ a: 1 }), flatmap: { a: "1", "b.#": "0", "": "" } }],
  ["broker connection info", "plugin.ConnInfo", { service_id: 4294967295, network: "unix", address: "/tmp/x", knock: { knock: true, error: "" } }],
  ["stdio data", "plugin.StdioData", { channel: "STDERR", data: Buffer.from("log line\n") }],
  [
    "an ephemeral open response with optional fields",
    "tfplugin6.OpenEphemeralResource.Response",
    { renew_at: { seconds: "1700000000", nanos: 5 }, private: Buffer.alloc(0), result: { msgpack: msgpack(10, 5) }, deferred: { reason: "ABSENT_PREREQ" } },
  ],
  ["a renew request without private", "tfplugin6.RenewEphemeralResource.Request", { type_name: "x" }],
  [
    "a plan response",
    "tfplugin6.PlanResourceChange.Response",
    {
      planned_state: { msgpack: msgpack(200, 6) },
      requires_replace: [{ steps: [{ attribute_name: "user_name" }] }],
      planned_private: Buffer.from("p"),
      legacy_type_system: false,
    },
  ],
  ["a function call", "tfplugin6.CallFunction.Request", { name: "parse_arn", arguments: [{ msgpack: msgpack(40, 7) }, {}, { json: json(null) }] }],
  [
    "encoder input variants",
    "tfplugin6.UpgradeResourceState.Request",
    { type_name: 42, version: 12345678901234567n, raw_state: { json: "eyJhIjoxfQ==", flatmap: { n: null } } },
  ],
  // Lengths of 3 bytes: the reserved length byte is widened under two levels of nesting.
  ["large payloads", "tfplugin6.ReadResource.Response", { new_state: { msgpack: msgpack(20_000, 8) }, private: msgpack(17_000, 9) }],
  [
    "zero and null fields",
    "tfplugin6.Schema.Attribute",
    { name: "", type: null, nested_type: undefined, required: 0, optional: "yes", description_kind: "PLAIN" },
  ],
];

describe("decoding matches protobufjs", () => {
  it.each(CASES)("%s", (_, name, message) => {
    const bytes = oracle(name).encode(message);
    expect(messageCodec(name).decode(bytes)).toStrictEqual(oracle(name).decode(bytes));
  });

  it("reads plain Uint8Arrays as well as Buffers", () => {
    const bytes = oracle("tfplugin6.DynamicValue").encode({ msgpack: Buffer.from([1, 2, 3]) });
    const decoded = messageCodec<{ msgpack: Buffer; json: Buffer }>("tfplugin6.DynamicValue").decode(new Uint8Array(bytes));
    expect(Buffer.isBuffer(decoded.msgpack)).toBe(true);
    expect(decoded).toStrictEqual({ msgpack: Buffer.from([1, 2, 3]), json: Buffer.alloc(0) });
  });
});

describe("encoding is read back by protobufjs", () => {
  it.each(CASES)("%s", (_, name, message) => {
    const ours = messageCodec(name).encode(message);
    expect(oracle(name).decode(ours)).toStrictEqual(oracle(name).decode(oracle(name).encode(message)));
    // Not needed on the wire, but the same bytes make any difference easy to spot.
    expect(ours.toString("hex")).toBe(oracle(name).encode(message).toString("hex"));
  });

  it.each(CASES)("%s, after room reserved for a frame header", (_, name, message) => {
    const framed = messageCodec(name).encode(message, 5);
    expect(framed.subarray(5).toString("hex")).toBe(oracle(name).encode(message).toString("hex"));
  });

  it.each([
    ["a scalar where a message belongs", "tfplugin6.Diagnostic", { attribute: "x" }],
    ["an object where a list belongs", "tfplugin6.AttributePath", { steps: {} }],
    ["null in a list of messages", "tfplugin6.AttributePath", { steps: [null] }],
    ["null as a map's message value", "tfplugin6.GetProviderSchema.Response", { resource_schemas: { a: null } }],
    ["a string where a map belongs", "tfplugin6.GetProviderSchema.Response", { resource_schemas: "x" }],
    ["null instead of a message", "tfplugin6.Diagnostic", null],
  ])("refuses %s, as protobufjs does", (_, name, message) => {
    expect(() => oracle(name).encode(message as object)).toThrow(TypeError);
    expect(() => messageCodec(name).encode(message as object)).toThrow(TypeError);
  });

  it("encodes re-entrantly, from a getter on the message being encoded", () => {
    const diagnostic = messageCodec("tfplugin6.Diagnostic");
    const inner = { severity: "WARNING", summary: "inner", detail: "x".repeat(300) };
    const innerBytes: Buffer[] = [];
    const outer = {
      severity: "ERROR",
      // Read after severity is written: the inner encode must not share the outer one's buffer.
      get summary() {
        innerBytes.push(diagnostic.encode(inner), diagnostic.encode(inner, 5).subarray(5));
        return "outer";
      },
      detail: "y".repeat(200),
    };
    const expected = oracle("tfplugin6.Diagnostic")
      .encode({ ...outer, summary: "outer" })
      .toString("hex");
    innerBytes.length = 0;
    expect(diagnostic.encode(outer).toString("hex")).toBe(expected);
    const innerExpected = oracle("tfplugin6.Diagnostic").encode(inner).toString("hex");
    expect(innerBytes.map((b) => b.toString("hex"))).toEqual([innerExpected, innerExpected]);
    // And the writers are fit for reuse afterwards, after a failed encode too.
    expect(() => diagnostic.encode({ severity: "ERROR", attribute: "not a message" })).toThrow(TypeError);
    expect(diagnostic.encode(inner).toString("hex")).toBe(oracle("tfplugin6.Diagnostic").encode(inner).toString("hex"));
    expect(diagnostic.encode(outer).toString("hex")).toBe(expected);
  });

  it("encodes a message of several MiB, then a small one, alike", () => {
    const value = messageCodec("tfplugin6.DynamicValue");
    const big = { msgpack: msgpack(3 << 20, 11), json: Buffer.from("[]") };
    expect(value.encode(big).equals(oracle("tfplugin6.DynamicValue").encode(big))).toBe(true);
    const small = { msgpack: Buffer.from([1]) };
    expect(value.encode(small).toString("hex")).toBe(oracle("tfplugin6.DynamicValue").encode(small).toString("hex"));
  });
});

describe("the object shape handlers rely on", () => {
  const diagnostic = messageCodec<Record<string, unknown>>("tfplugin6.Diagnostic");
  const step = messageCodec<Record<string, unknown>>("tfplugin6.AttributePath.Step");
  const functionError = messageCodec<Record<string, unknown>>("tfplugin6.FunctionError");

  it("fills every default and leaves unset oneof members out", () => {
    expect(diagnostic.decode(Buffer.alloc(0))).toStrictEqual({ severity: "INVALID", summary: "", detail: "", attribute: null });
    expect(functionError.decode(functionError.encode({ text: "x" }))).toStrictEqual({ text: "x" });
    expect(messageCodec("tfplugin6.GetProviderSchema.Response").decode(Buffer.alloc(0))).toStrictEqual({
      diagnostics: [],
      resource_schemas: {},
      data_source_schemas: {},
      functions: {},
      ephemeral_resource_schemas: {},
      provider: null,
      provider_meta: null,
      server_capabilities: null,
    });
  });

  it("keeps 64-bit integers exact and names the oneof member that is set", () => {
    const big = step.decode(step.encode({ element_key_int: "9007199254740993" }));
    expect(big).toStrictEqual({ element_key_int: "9007199254740993", selector: "element_key_int" });
    expect(step.decode(step.encode({ element_key_int: -1 }))).toStrictEqual({ element_key_int: "-1", selector: "element_key_int" });
    // The last member on the wire wins.
    expect(step.decode(Buffer.from([0x0a, 1, 0x61, 0x18, 5, 0x12, 0]))).toStrictEqual({ element_key_string: "", selector: "element_key_string" });
  });

  it("writes a proto3 optional field set to zero, but does not name its synthetic oneof (protobufjs does not)", () => {
    const bytes = functionError.encode({ function_argument: 0 });
    expect(bytes.toString("hex")).toBe("1000");
    expect(functionError.decode(bytes)).toStrictEqual({ text: "", function_argument: "0" });
  });

  it("keeps an unknown enum number as a number", () => {
    expect(diagnostic.decode(Buffer.from([0x08, 0x07])).severity).toBe(7);
  });

  it("skips unknown fields of every wire type", () => {
    const unknown = Buffer.from([0x28, 0x96, 0x01, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, 0x3a, 2, 0xff, 0xff, 0x45, 1, 2, 3, 4, 0x4b, 0x08, 1, 0x53, 0x54, 0x4c]);
    const bytes = Buffer.concat([unknown, Buffer.from([0x12, 1, 0x78])]);
    expect(diagnostic.decode(bytes)).toStrictEqual({ severity: "INVALID", summary: "x", detail: "", attribute: null });
  });

  it("merges a repeated singular message field, as protobuf specifies", () => {
    const bytes = Buffer.from([0x22, 4, 0x0a, 2, 0x0a, 0, 0x22, 4, 0x0a, 2, 0x12, 0]);
    expect(diagnostic.decode(bytes)).toStrictEqual(oracle("tfplugin6.Diagnostic").decode(bytes));
    expect((diagnostic.decode(bytes).attribute as { steps: unknown[] }).steps).toHaveLength(2);
  });

  it("gives a map entry without key or value their defaults", () => {
    const response = messageCodec<Record<string, Record<string, unknown>>>("tfplugin6.GetProviderSchema.Response");
    const bytes = Buffer.from([0x12, 0, 0x3a, 3, 0x0a, 1, 0x66]);
    expect(response.decode(bytes)).toStrictEqual(oracle("tfplugin6.GetProviderSchema.Response").decode(bytes));
    expect(response.decode(bytes).resource_schemas).toStrictEqual({ "": { version: "0", block: null } });
  });

  it("keeps a __proto__ map key as a plain key", () => {
    const rawState = messageCodec<{ flatmap: Record<string, string> }>("tfplugin6.RawState");
    const decoded = rawState.decode(rawState.encode(JSON.parse('{"flatmap":{"__proto__":"p"}}') as { flatmap: Record<string, string> }));
    expect(Object.getPrototypeOf(decoded.flatmap)).toBe(Object.prototype);
    expect(Object.keys(decoded.flatmap)).toEqual(["__proto__"]);
  });

  it.each([
    ["a truncated varint", [0x08, 0x80]],
    ["a varint longer than 10 bytes", [0x08, ...Array(10).fill(0xff), 0x01]],
    ["a length beyond the end", [0x12, 5, 0x61]],
    ["a nested length beyond its parent", [0x22, 2, 0x0a, 5, 0, 0, 0, 0, 0]],
    ["a wrong wire type for a known field", [0x12, 0x05]],
    ["field number 0", [0x00, 0x01]],
    ["wire type 7", [0x0f]],
    ["a stray end group", [0x2c]],
    ["a group closed by another field", [0x2b, 0x34]],
    ["an unterminated group", [0x2b, 0x08, 0x01]],
    ["invalid UTF-8", [0x12, 2, 0xc3, 0x28]],
    ["a truncated fixed64", [0x29, 1, 2, 3]],
  ])("refuses %s", (_, bytes) => {
    expect(() => diagnostic.decode(Buffer.from(bytes))).toThrow(Error);
  });

  it("refuses nesting deeper than protobufjs allows", () => {
    // Schema.Object -> attributes -> Schema.Attribute -> nested_type -> Schema.Object ...
    const nest = (levels: number) => {
      let bytes = Buffer.alloc(0);
      for (let i = 0; i < levels; i++) {
        bytes = Buffer.concat([Buffer.from([0x52, ...varint(bytes.length)]), bytes]);
        bytes = Buffer.concat([Buffer.from([0x0a, ...varint(bytes.length)]), bytes]);
      }
      return bytes;
    };
    const object = messageCodec("tfplugin6.Schema.Object");
    expect(object.decode(nest(50))).toStrictEqual(oracle("tfplugin6.Schema.Object").decode(nest(50)));
    expect(() => oracle("tfplugin6.Schema.Object").decode(nest(60))).toThrow(/depth/);
    expect(() => object.decode(nest(60))).toThrow(/depth/);
  });
});

describe("service methods", () => {
  it("lists every RPC with its path, streaming flags and codecs", () => {
    const provider = serviceMethods("tfplugin6.Provider");
    expect(provider.map((m) => m.name)).toEqual(root.lookupService("tfplugin6.Provider").methodsArray.map((m) => m.name));
    const schema = provider.find((m) => m.name === "GetProviderSchema")!;
    expect(schema.path).toBe("/tfplugin6.Provider/GetProviderSchema");
    expect(schema.request).toBe(messageCodec("tfplugin6.GetProviderSchema.Request"));
    expect(schema.response).toBe(messageCodec("tfplugin6.GetProviderSchema.Response"));
    const broker = serviceMethods("plugin.GRPCBroker")[0]!;
    expect([broker.requestStream, broker.responseStream]).toEqual([true, true]);
    const stdio = serviceMethods("plugin.GRPCStdio")[0]!;
    expect([stdio.requestStream, stdio.responseStream]).toEqual([false, true]);
    expect(stdio.request).toBe(messageCodec("google.protobuf.Empty"));
    expect(serviceMethods("grpc.health.v1.Health").map((m) => m.path)).toEqual(["/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch"]);
  });

  it("refuses unknown names", () => {
    expect(() => messageCodec("tfplugin6.Nope")).toThrow(/no message type/);
    expect(() => messageCodec("tfplugin6.Provider")).toThrow(/no message type/);
    expect(() => serviceMethods("tfplugin6.Diagnostic")).toThrow(/no service/);
  });
});

// Repeated numeric fields do not occur in the plugin protocol: a small extra package is mocked into
// the descriptor so that packed and unpacked lists (and other scalar kinds) are covered.
describe("repeated numbers and other scalar kinds", () => {
  const scalars = ["int32", "sint32", "uint32", "fixed32", "sfixed32", "int64", "sint64", "uint64", "fixed64", "sfixed64", "double", "float", "bool"];
  const fields = (packed: boolean) => {
    const out: Record<string, object> = {};
    scalars.forEach((type, i) => {
      out[`list_${type}`] = { rule: "repeated", type, id: i + 1, ...(packed ? {} : { options: { packed: false } }) };
      out[`one_${type}`] = { type, id: i + 101 };
    });
    out.list_enum = { rule: "repeated", type: "tfplugin6.StringKind", id: 50, ...(packed ? {} : { options: { packed: false } }) };
    out.list_strings = { rule: "repeated", type: "string", id: 51 };
    out.ints_by_key = { keyType: "int32", type: "sint64", id: 52 };
    out.kinds_by_flag = { keyType: "bool", type: "tfplugin6.StringKind", id: 53 };
    out.unpacked = { rule: "repeated", type: "uint32", id: 54, options: { packed: false } };
    return out;
  };
  const withTestPackage = (packed: boolean) => ({
    ...descriptor,
    nested: { ...descriptor.nested, codectest: { nested: { Scalars: { fields: fields(packed) } } } },
  });
  const sample = {
    list_int32: [0, 1, -1, 300, 2147483647, -2147483648],
    list_sint32: [0, -1, 1, -2147483648],
    list_uint32: [0, 4294967295, 128],
    list_fixed32: [0, 4294967295],
    list_sfixed32: [-1, 7],
    list_int64: ["0", "-1", "9223372036854775807", 5],
    list_sint64: ["-9223372036854775808", "-1", "1", 123456789012n],
    list_uint64: ["18446744073709551615", "4294967296"],
    list_fixed64: ["18446744073709551615", 1],
    list_sfixed64: ["-2", "9007199254740993"],
    list_double: [0, 1.5, -2.25, 1e300],
    list_float: [0.5, -3],
    list_bool: [true, false, true],
    list_enum: ["MARKDOWN", "PLAIN", 9, "NOT_A_KIND"],
    list_strings: ["a", "", "ü"],
    one_sint32: -5,
    one_sint64: "-5",
    one_fixed64: "1",
    one_sfixed32: -1,
    one_double: -0,
    one_float: 0.1,
    ints_by_key: { "-3": "-3", "7": "9007199254740993" },
    kinds_by_flag: { true: "MARKDOWN", false: 0 },
    unpacked: [1, 2, 3],
  };

  async function codecFromMockedDescriptor() {
    vi.resetModules();
    vi.doMock("../../src/generated/proto-descriptor.json", () => ({ default: withTestPackage(true) }));
    try {
      const module = await import("../../src/transport/protobuf-codec.ts");
      return module.messageCodec("codectest.Scalars");
    } finally {
      vi.doUnmock("../../src/generated/proto-descriptor.json");
      vi.resetModules();
    }
  }

  it("decodes packed and unpacked lists alike and writes them packed unless declared otherwise", async () => {
    const ours = await codecFromMockedDescriptor();
    const packed = oracle("codectest.Scalars", oracleRoot(withTestPackage(true)));
    const unpacked = oracle("codectest.Scalars", oracleRoot(withTestPackage(false)));
    const packedBytes = packed.encode(sample);
    const unpackedBytes = unpacked.encode(sample);
    expect(packedBytes.equals(unpackedBytes)).toBe(false);
    const expected = packed.decode(packedBytes);
    expect(unpacked.decode(unpackedBytes)).toStrictEqual(expected);
    expect(ours.decode(packedBytes)).toStrictEqual(expected);
    expect(ours.decode(unpackedBytes)).toStrictEqual(expected);
    expect(ours.encode(sample).toString("hex")).toBe(packedBytes.toString("hex"));
    // Both encodings of the same list in one message: the elements add up.
    expect(ours.decode(Buffer.concat([packedBytes, unpackedBytes]))).toStrictEqual(packed.decode(Buffer.concat([packedBytes, unpackedBytes])));
  });

  it("agrees with protobufjs on mutated and truncated lists", async () => {
    const ours = await codecFromMockedDescriptor();
    const packed = oracle("codectest.Scalars", oracleRoot(withTestPackage(true)));
    const unpacked = oracle("codectest.Scalars", oracleRoot(withTestPackage(false)));
    const samples = [packed.encode(sample), unpacked.encode(sample)].map((bytes) => ({ bytes, ours, theirs: packed }));
    expect(fuzz(SEED + 1, ITERATIONS / 2, samples)).toBeGreaterThan(ITERATIONS / 40);
  });

  it("writes nothing for a list of unknown enum names, as protobufjs does", async () => {
    const ours = await codecFromMockedDescriptor();
    expect(ours.encode({ list_enum: ["NOPE"] }).length).toBe(0);
  });

  // What protobufjs's Long.fromValue takes, at the edges of each 64-bit kind: saturating numbers,
  // truncated fractions, wrapping bigints, lenient strings and Long-like objects.
  const longInputs: unknown[] = [
    0,
    -0,
    1,
    -1,
    1.5,
    -1.5,
    0xffffffff,
    4294967296,
    -4294967296,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    2 ** 63,
    -(2 ** 63),
    2 ** 64,
    -(2 ** 64),
    NaN,
    Infinity,
    -Infinity,
    "0",
    "1",
    "-1",
    "1.5",
    "abc",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    // Not "": protobufjs throws on it, where this codec writes 0.
    0n,
    -1n,
    2n ** 63n,
    -(2n ** 63n),
    2n ** 64n + 5n,
    -(2n ** 64n) - 5n,
    { low: -1, high: 0x7fffffff },
    { low: 0, high: -2147483648 },
    { low: 5, high: 0 },
  ];

  const longTypes = ["int64", "uint64", "sint64", "fixed64", "sfixed64"];
  it.each(longTypes)("converts 64-bit inputs as protobufjs does: %s", async (type) => {
    const ours = await codecFromMockedDescriptor();
    const theirs = oracle("codectest.Scalars", oracleRoot(withTestPackage(true)));
    for (const input of longInputs) {
      for (const message of [{ [`one_${type}`]: input }, { [`list_${type}`]: [input, input] }]) {
        const label = `${type} ${typeof input === "bigint" ? `${input}n` : JSON.stringify(input)}`;
        const bytes = theirs.encode(message);
        expect(ours.encode(message).toString("hex"), label).toBe(bytes.toString("hex"));
        expect(ours.decode(bytes), label).toStrictEqual(theirs.decode(bytes));
      }
    }
  });
});

// --- fuzzing ---

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** Seeded PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCALAR_WIRE: Record<string, number> = {
  double: 1,
  float: 5,
  int32: 0,
  uint32: 0,
  sint32: 0,
  fixed32: 5,
  sfixed32: 5,
  int64: 0,
  uint64: 0,
  sint64: 0,
  fixed64: 1,
  sfixed64: 1,
  bool: 0,
  string: 2,
  bytes: 2,
};

/**
 * Whether the bytes hold only well-framed fields, known ones with their proper wire type, and no
 * groups: where protobufjs is lenient (it skips a known field with a foreign wire type) and ours
 * refuses, or where protobufjs mishandles groups, the two are not compared.
 */
function wellFormed(type: protobuf.Type, buf: Buffer, start: number, end: number): boolean {
  let pos = start;
  const readVarint = (): number => {
    let value = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new Error("truncated");
      const b = buf[pos++]!;
      if (i < 4) value += (b & 127) * 2 ** (7 * i);
      if (b < 128) return value;
    }
    throw new Error("too long");
  };
  // Not `pos + readVarint()`: that would add the position from before the length was read.
  const delimitedEnd = () => {
    const length = readVarint();
    return pos + length;
  };
  const skip = (wire: number) => {
    if (wire === 0) readVarint();
    else if (wire === 1 || wire === 5) pos += wire === 1 ? 8 : 4;
    else if (wire === 2) pos = delimitedEnd();
    else throw new Error("group or bad wire type");
    if (pos > end) throw new Error("truncated");
  };
  const wireOf = (t: string, resolved: protobuf.ReflectionObject | null) => (resolved instanceof protobuf.Type ? 2 : (SCALAR_WIRE[t] ?? 0));
  try {
    while (pos < end) {
      const tagStart = pos;
      const tag = readVarint();
      if (pos - tagStart > 5 || tag >= 2 ** 32) return false;
      const id = Math.floor(tag / 8),
        wire = tag % 8;
      if (id === 0) return false;
      const field = type.fieldsById[id];
      if (!field) {
        skip(wire);
        continue;
      }
      const expected = wireOf(field.type, field.resolvedType);
      if (field.map) {
        if (wire !== 2) return false;
        const entryEnd = delimitedEnd();
        if (entryEnd > end) return false;
        const keyWire = field instanceof protobuf.MapField ? SCALAR_WIRE[field.keyType]! : -1;
        while (pos < entryEnd) {
          const t = readVarint();
          const entryId = Math.floor(t / 8),
            entryWire = t % 8;
          if (entryId === 0) return false;
          if (entryId === 1 && entryWire !== keyWire) return false;
          if (entryId === 2 && entryWire !== expected) return false;
          if (entryId === 2 && field.resolvedType instanceof protobuf.Type) {
            const valueEnd = delimitedEnd();
            if (valueEnd > entryEnd || !wellFormed(field.resolvedType, buf, pos, valueEnd)) return false;
            pos = valueEnd;
          } else skip(entryWire);
          if (pos > entryEnd) return false;
        }
      } else if (field.resolvedType instanceof protobuf.Type) {
        if (wire !== 2) return false;
        const subEnd = delimitedEnd();
        if (subEnd > end || !wellFormed(field.resolvedType, buf, pos, subEnd)) return false;
        pos = subEnd;
      } else if (wire === expected || (field.repeated && expected !== 2 && wire === 2)) skip(wire);
      else return false;
    }
    return pos === end;
  } catch {
    return false;
  }
}

function attempt<T>(run: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Mutated, truncated and random inputs: ours either returns an object or throws an Error, and on
 * well-formed input it returns what protobufjs returns, or throws where protobufjs throws
 * (invalid UTF-8, too deep). Returns how many inputs were compared.
 */
function fuzz(seed: number, iterations: number, samples: { bytes: Buffer; ours: MessageCodec<object>; theirs: ReturnType<typeof oracle> }[]): number {
  const next = random(seed);
  const int = (n: number) => Math.floor(next() * n);
  let compared = 0;
  for (let i = 0; i < iterations; i++) {
    const { bytes: base, ours: codec, theirs: reference } = samples[int(samples.length)]!;
    let bytes: Buffer;
    const mode = i % 5;
    if (mode === 0) bytes = Buffer.from(Array.from({ length: int(48) }, () => int(256)));
    else if (mode === 1) bytes = base.subarray(0, int(base.length + 1));
    else if (mode === 4) {
      // Two messages of one type back to back: merged messages, appended lists, oneof members replaced.
      const same = samples.filter((s) => s.theirs.type === reference.type);
      bytes = Buffer.concat([base, same[int(same.length)]!.bytes]);
    } else {
      bytes = Buffer.from(base);
      for (let flips = 1 + int(3); flips > 0 && bytes.length > 0; flips--)
        bytes[int(bytes.length)] = mode === 2 ? int(256) : bytes[int(bytes.length)]! ^ (1 << int(8));
    }
    const context = `${reference.type.fullName} ${bytes.toString("hex")}`;
    const ours = attempt(() => codec.decode(bytes));
    if (!ours.ok) expect(ours.error, context).toBeInstanceOf(Error);
    else expect(typeof ours.value).toBe("object");
    if (!wellFormed(reference.type, bytes, 0, bytes.length)) continue;
    compared++;
    const theirs = attempt(() => reference.decode(bytes));
    if (theirs.ok) {
      expect(ours.ok, `${context}: ${ours.ok ? "" : String(ours.error)}`).toBe(true);
      expect(ours.ok && ours.value, context).toStrictEqual(theirs.value);
    } else expect(ours.ok, `${context}: protobufjs threw ${String(theirs.error)}`).toBe(false);
  }
  return compared;
}

describe(`fuzzing (seed ${SEED})`, () => {
  it("never fails other than by throwing an Error, and agrees with protobufjs on well-formed input", () => {
    const samples = CASES.map(([, name, message]) => ({ bytes: oracle(name).encode(message), ours: messageCodec(name), theirs: oracle(name) })).filter(
      (sample) => sample.bytes.length < 10_000,
    );
    // Enough of the inputs are well-formed for the comparison to mean something.
    expect(fuzz(SEED, ITERATIONS, samples)).toBeGreaterThan(ITERATIONS / 10);
  });
});
