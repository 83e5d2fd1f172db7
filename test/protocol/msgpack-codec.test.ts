import { describe, expect, it } from "vitest";
import type { CtyType } from "../../src/values/cty-type.ts";
import { decodeMsgpack, encodeMsgpack } from "../../src/protocol/msgpack-codec.ts";
import { numberFromText } from "../../src/values/decimal-number.ts";
import { ValueDecodeError, ValueEncodeError } from "../../src/values/value-errors.ts";
import { NULL, UNKNOWN, known, type KnownValue, type Value } from "../../src/values/value.ts";

function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => parseInt(b, 16));
}
function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString("hex")
    .replace(/(..)(?!$)/g, "$1 ");
}
/** msgpack str bytes, as hex, for readable vectors. */
function str(s: string): string {
  const b = Buffer.from(s);
  if (b.length > 31) throw new Error("vector helper only does fixstr");
  return (0xa0 | b.length).toString(16) + b.toString("hex");
}

function roundTrip(bytes: string, type: CtyType): Value {
  const input = hex(bytes);
  const v = decodeMsgpack(input, type);
  expect(toHex(encodeMsgpack(v, type))).toBe(toHex(input));
  return v;
}

function payload(v: Value): unknown {
  expect(v.kind).toBe("known");
  return (v as KnownValue).value;
}

function decodeError(bytes: Uint8Array | string, type: CtyType): ValueDecodeError {
  try {
    decodeMsgpack(typeof bytes === "string" ? hex(bytes) : bytes, type);
  } catch (e) {
    expect(e).toBeInstanceOf(ValueDecodeError);
    return e as ValueDecodeError;
  }
  throw new Error("expected a decode error");
}

const objIdN: CtyType = ["object", { id: "string", n: "number" }];

describe("msgpack vectors as go-cty writes them", () => {
  it('object {id: "x", n: null}', () => {
    const v = roundTrip(`82 ${str("id")} ${str("x")} ${str("n")} c0`, objIdN);
    const m = payload(v) as Map<string, Value>;
    expect(m.get("id")).toEqual(known("x"));
    expect(m.get("n")).toEqual(NULL);
    expect([...m.keys()]).toEqual(["id", "n"]);
  });

  it("null object", () => {
    expect(roundTrip("c0", objIdN)).toEqual(NULL);
  });

  it("plain unknown d4 00 00", () => {
    const v = roundTrip("d4 00 00", "string");
    expect(v.kind).toBe("unknown");
    expect(v.kind === "unknown" && v.refinement).toBeUndefined();
  });

  it("refined unknown: not null, prefix u-, echoed byte-for-byte", () => {
    const v = roundTrip("c7 07 0c 82 01 c2 02 a2 75 2d", "string");
    expect(v.kind).toBe("unknown");
    if (v.kind !== "unknown") return;
    expect(v.refinement).toEqual({ notNull: true, stringPrefix: "u-" });
    expect(toHex(v.raw!)).toBe("c7 07 0c 82 01 c2 02 a2 75 2d");
  });

  it("refined unknown inside an object, next to a plain one", () => {
    const v = roundTrip(`82 ${str("id")} c7 07 0c 82 01 c2 02 a2 75 2d ${str("n")} d4 00 00`, objIdN);
    const m = payload(v) as Map<string, Value>;
    expect(m.get("id")?.kind).toBe("unknown");
    expect(m.get("n")?.kind).toBe("unknown");
  });

  it("refined unknown list with length bounds and unknown number with bounds", () => {
    // list: {1: false, 5: 1, 6: 3}; number: {1: false, 3: [0, true], 4: [10, false]}
    const list = roundTrip("c7 07 0c 83 01 c2 05 01 06 03", ["list", "string"]);
    expect(list.kind === "unknown" && list.refinement).toEqual({ notNull: true });
    const num = roundTrip("c7 0b 0c 83 01 c2 03 92 00 c3 04 92 0a c2", "number");
    expect(num.kind === "unknown" && num.refinement).toEqual({ notNull: true });
  });

  it("any extension type and size is an unknown, kept raw", () => {
    for (const vector of [
      "d5 07 01 02",
      "d6 01 00 00 00 00",
      "d7 00 00 00 00 00 00 00 00 00",
      `d8 05${" 00".repeat(16)}`,
      "c7 00 00",
      "c8 00 01 0c c0",
      "c9 00 00 00 02 63 01 02",
    ]) {
      const v = roundTrip(vector, "number");
      expect(v.kind).toBe("unknown");
    }
  });

  it("unreadable refinement payload still decodes as unknown and echoes", () => {
    const v = roundTrip("c7 03 0c 81 a1 78", "string"); // string key instead of integer
    expect(v.kind).toBe("unknown");
    expect(v.kind === "unknown" && v.refinement).toBeUndefined();
  });

  it("provider-made unknowns encode as d4 00 00", () => {
    expect(toHex(encodeMsgpack(UNKNOWN, "string"))).toBe("d4 00 00");
    expect(toHex(encodeMsgpack({ kind: "unknown", refinement: { notNull: true } }, ["list", "string"]))).toBe("d4 00 00");
    expect(toHex(encodeMsgpack(UNKNOWN, "dynamic"))).toBe("d4 00 00");
  });

  it("numbers too big for int64/float64 arrive as decimal strings", () => {
    const big = roundTrip(str("18446744073709551616"), "number");
    expect(payload(big)).toBe(18446744073709551616n);
    const precise = roundTrip(str("3.14159265358979323846264338"), "number");
    expect(payload(precise)).toBe("3.14159265358979323846264338");
    // a string that a float64 reproduces exactly becomes a number
    expect(payload(decodeMsgpack(hex(str("0.1")), "number"))).toBe(0.1);
    expect(payload(decodeMsgpack(hex(str("1.50")), "number"))).toBe(1.5);
    expect(payload(decodeMsgpack(hex(str("42")), "number"))).toBe(42);
    expect(payload(decodeMsgpack(hex(str("-1e3")), "number"))).toBe(-1000);
    expect(decodeError(hex(str("12abc")), "number").message).toContain("expected number, got string");
  });

  it("int64 and uint64 beyond 2^53 are exact bigints and re-encode identically", () => {
    expect(payload(roundTrip("d3 80 00 00 00 00 00 00 01", "number"))).toBe(-(2n ** 63n) + 1n);
    expect(payload(roundTrip("d3 80 00 00 00 00 00 00 00", "number"))).toBe(-(2n ** 63n));
    expect(payload(roundTrip("cf ff ff ff ff ff ff ff ff", "number"))).toBe(2n ** 64n - 1n);
    expect(payload(roundTrip("cf 00 20 00 00 00 00 00 01", "number"))).toBe(2n ** 53n + 1n);
  });

  it("every int width, in go's compact form", () => {
    const cases: [string, number][] = [
      ["00", 0],
      ["7f", 127],
      ["cc 80", 128],
      ["cc ff", 255],
      ["cd 01 00", 256],
      ["ce 00 01 00 00", 65536],
      ["cf 00 00 00 01 00 00 00 00", 2 ** 32],
      ["cf 00 1f ff ff ff ff ff ff", Number.MAX_SAFE_INTEGER],
      ["ff", -1],
      ["e0", -32],
      ["d0 df", -33],
      ["d0 80", -128],
      ["d1 ff 7f", -129],
      ["d2 ff ff 7f ff", -32769],
      ["d3 ff ff ff ff 7f ff ff ff", -(2 ** 31) - 1],
      ["d3 ff e0 00 00 00 00 00 01", -Number.MAX_SAFE_INTEGER],
    ];
    for (const [bytes, n] of cases) expect(payload(roundTrip(bytes, "number"))).toBe(n);
    // non-compact forms other encoders may use still decode
    expect(payload(decodeMsgpack(hex("d3 00 00 00 00 00 00 00 05"), "number"))).toBe(5);
    expect(payload(decodeMsgpack(hex("d0 05"), "number"))).toBe(5);
  });

  it("float64 and float32", () => {
    expect(payload(roundTrip("cb 3f f8 00 00 00 00 00 00", "number"))).toBe(1.5);
    expect(payload(roundTrip("cb 3f b9 99 99 99 99 99 9a", "number"))).toBe(0.1);
    expect(payload(roundTrip("cb 7f f0 00 00 00 00 00 00", "number"))).toBe(Infinity);
    expect(payload(roundTrip("cb ff f0 00 00 00 00 00 00", "number"))).toBe(-Infinity);
    expect(payload(decodeMsgpack(hex("ca 3f c0 00 00"), "number"))).toBe(1.5);
    expect(decodeError("cb 7f f8 00 00 00 00 00 00", "number").message).toContain("NaN");
  });

  it("bool", () => {
    expect(payload(roundTrip("c3", "bool"))).toBe(true);
    expect(payload(roundTrip("c2", "bool"))).toBe(false);
  });

  it("nested list of objects", () => {
    const type: CtyType = ["list", ["object", { name: "string", ports: ["list", "number"] }]];
    const v = roundTrip(`92 82 ${str("name")} ${str("a")} ${str("ports")} 92 50 cd 1f 90 82 ${str("name")} c0 ${str("ports")} 90`, type);
    const items = payload(v) as Value[];
    expect(items).toHaveLength(2);
    const first = payload(items[0]!) as Map<string, Value>;
    expect(payload(first.get("ports")!)).toEqual([known(80), known(8080)]);
    expect((payload(items[1]!) as Map<string, Value>).get("name")).toEqual(NULL);
  });

  it("set of strings keeps Terraform's order", () => {
    const v = roundTrip(`93 ${str("b")} ${str("a")} ${str("c")}`, ["set", "string"]);
    expect(payload(v)).toEqual([known("b"), known("a"), known("c")]);
  });

  it("map of strings, including a __proto__ key", () => {
    const v = roundTrip(`82 ${str("__proto__")} ${str("x")} ${str("b")} ${str("y")}`, ["map", "string"]);
    const m = payload(v) as Map<string, Value>;
    expect(m.get("__proto__")).toEqual(known("x"));
    expect(m.get("b")).toEqual(known("y"));
    expect(toHex(encodeMsgpack(known(new Map()), ["map", "string"]))).toBe("80");
  });

  it("tuple", () => {
    const v = roundTrip(`92 ${str("a")} 05`, ["tuple", ["string", "number"]]);
    expect(payload(v)).toEqual([known("a"), known(5)]);
    expect(decodeError(`91 ${str("a")}`, ["tuple", ["string", "number"]]).message).toContain("tuple of 2 elements");
  });

  it("dynamic: [bin type JSON, value]", () => {
    const v = roundTrip(`92 c4 08 ${Buffer.from('"string"').toString("hex")} ${str("hi")}`, "dynamic");
    expect(v).toEqual({ kind: "known", value: "hi", dynamicType: "string" });
    // str instead of bin is accepted too
    expect(decodeMsgpack(hex(`92 a8 ${Buffer.from('"string"').toString("hex")} ${str("hi")}`), "dynamic")).toEqual(v);
  });

  it("dynamic object, dynamic null, typed null and unknown", () => {
    const typeJson = '["object",{"a":"number","b":"string"}]';
    const bytes = `92 c4 ${typeJson.length.toString(16)} ${Buffer.from(typeJson).toString("hex")} 82 ${str("a")} 01 ${str("b")} c0`;
    const v = roundTrip(bytes, "dynamic");
    expect(v.kind === "known" && v.dynamicType).toEqual(["object", { a: "number", b: "string" }]);
    expect(roundTrip("c0", "dynamic")).toEqual(NULL);
    const typedNull = roundTrip(`92 c4 08 ${Buffer.from('"string"').toString("hex")} c0`, "dynamic");
    expect(typedNull).toEqual({ kind: "null", dynamicType: "string" });
    expect(roundTrip("d4 00 00", "dynamic").kind).toBe("unknown");
  });

  it("dynamic values with no known type: implied type, nil or unknown", () => {
    expect(toHex(encodeMsgpack(NULL, "dynamic"))).toBe("c0");
    const v = known(new Map([["k", known([known("x"), known(true)])]]));
    const bytes = encodeMsgpack(v, "dynamic");
    const back = decodeMsgpack(bytes, "dynamic");
    expect(back.kind === "known" && back.dynamicType).toEqual(["object", { k: ["tuple", ["string", "bool"]] }]);
  });

  it("object attributes are written sorted, absent ones as nil", () => {
    const type: CtyType = ["object", { b: "string", a: "bool", c: ["list", "string"] }];
    const bytes = encodeMsgpack(known(new Map([["b", known("x")]])), type);
    expect(toHex(bytes)).toBe(toHex(hex(`83 ${str("a")} c0 ${str("b")} ${str("x")} ${str("c")} c0`)));
  });

  it("optional-attribute object types work like objects", () => {
    const type: CtyType = ["object", { a: "string", b: "number" }, ["b"]];
    const v = roundTrip(`82 ${str("a")} ${str("x")} ${str("b")} c0`, type);
    expect((payload(v) as Map<string, Value>).get("b")).toEqual(NULL);
  });

  it("long strings and multibyte text use the right header", () => {
    for (const s of ["é", "x".repeat(31), "x".repeat(32), "ü".repeat(200), "y".repeat(70000), "😀 emoji"]) {
      const bytes = encodeMsgpack(known(s), "string");
      expect(payload(decodeMsgpack(bytes, "string"))).toBe(s);
    }
    expect(encodeMsgpack(known("x".repeat(32)), "string")[0]).toBe(0xd9);
    expect(encodeMsgpack(known("x".repeat(256)), "string")[0]).toBe(0xda);
    expect(encodeMsgpack(known("x".repeat(65536)), "string")[0]).toBe(0xdb);
    expect(toHex(encodeMsgpack(known("\ufeffa"), "string"))).toBe("a4 ef bb bf 61");
    expect(payload(decodeMsgpack(hex("a4 ef bb bf 61"), "string"))).toBe("\ufeffa"); // BOM kept
  });
});

describe("msgpack decode errors", () => {
  it("missing attribute names it", () => {
    const e = decodeError(`81 ${str("id")} ${str("x")}`, objIdN);
    expect(e.path).toBe(".n");
    expect(e.message).toContain("missing attribute");
    expect(e.message).toContain("2 attributes is required (1 given)");
  });

  it("extra attribute names it, with the path inside nested values", () => {
    const type: CtyType = ["object", { tags: ["map", ["object", { a: "string" }]] }];
    const e = decodeError(`81 ${str("tags")} 81 ${str("x")} 82 ${str("a")} c0 ${str("zz")} c0`, type);
    expect(e.path).toBe('.tags["x"].zz');
    expect(e.message).toMatch(/^\.tags\["x"\]\.zz: unsupported attribute/);
  });

  it("wrong kind says what was expected and what came", () => {
    const type: CtyType = ["object", { attr: ["list", "string"] }];
    const e = decodeError(`81 ${str("attr")} 93 ${str("a")} ${str("b")} 80`, type);
    expect(e.message).toBe(".attr[2]: expected string, got map");
    expect(decodeError("c3", "string").message).toBe("expected string, got bool");
    expect(decodeError("a1 61", "bool").message).toBe("expected bool, got string");
    expect(decodeError("80", ["list", "string"]).message).toBe("expected list, got map");
  });

  it("truncated input at every length never crashes", () => {
    const vectors: [string, CtyType][] = [
      [`82 ${str("id")} ${str("x")} ${str("n")} cb 3f f8 00 00 00 00 00 00`, objIdN],
      ["c7 07 0c 82 01 c2 02 a2 75 2d", "string"],
      ["cf ff ff ff ff ff ff ff ff", "number"],
      [`92 c4 08 ${Buffer.from('"string"').toString("hex")} ${str("hi")}`, "dynamic"],
      [`d9 20 ${"61".repeat(32)}`, "string"],
    ];
    for (const [bytes, type] of vectors) {
      const full = hex(bytes);
      for (let n = 0; n < full.length; n++) {
        const e = decodeError(full.subarray(0, n), type);
        expect(e.message).toMatch(/unexpected end of input|expected/);
      }
    }
  });

  it("huge length prefixes fail before allocating", () => {
    expect(decodeError("dd ff ff ff ff 00", ["list", "number"]).message).toContain("unexpected end of input");
    expect(decodeError("df ff ff ff ff", ["map", "number"]).message).toContain("unexpected end of input");
    expect(decodeError("db ff ff ff ff 61", "string").message).toContain("unexpected end of input");
    expect(decodeError("c9 ff ff ff ff 0c", "string").message).toContain("unexpected end of input");
  });

  it("invalid UTF-8 is refused", () => {
    expect(decodeError("a2 c3 28", "string").message).toBe("string is not valid UTF-8");
    expect(decodeError("a3 ed a0 80", "string").message).toBe("string is not valid UTF-8"); // encoded surrogate
    expect(decodeError(`81 a2 c3 28 c0`, ["map", "string"]).message).toBe("string is not valid UTF-8");
  });

  it("depth bombs are refused", () => {
    let type: CtyType = "string";
    for (let i = 0; i < 100; i++) type = ["list", type];
    const bytes = new Uint8Array(101).fill(0x91);
    bytes[100] = 0xa0;
    expect(decodeError(bytes, type).message).toContain("nested more than 64 levels");

    // dynamic inside dynamic inside ...
    const wrapper = hex(`92 c4 09 ${Buffer.from('"dynamic"').toString("hex")}`);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 10000; i++) parts.push(wrapper);
    parts.push(hex("c0"));
    expect(decodeError(Buffer.concat(parts), "dynamic").message).toContain("nested more than 64 levels");

    // a type description nested 100000 deep
    const deepType = `${'["list",'.repeat(100000)}"string"${"]".repeat(100000)}`;
    const typeBytes = Buffer.from(deepType);
    const dyn = Buffer.concat([
      hex("92 c6"),
      Buffer.from([0, (typeBytes.length >> 16) & 0xff, (typeBytes.length >> 8) & 0xff, typeBytes.length & 0xff]),
      typeBytes,
      hex("c0"),
    ]);
    expect(decodeError(dyn, "dynamic").message).toContain("nested too deeply");
  });

  it("bad dynamic wrappers", () => {
    expect(decodeError("91 c0", "dynamic").message).toContain("[type, value]");
    expect(decodeError(`92 ${str('"bogus"')} c0`, "dynamic").message).toContain("invalid dynamic type");
    expect(decodeError(`92 ${str("{")} c0`, "dynamic").message).toContain("invalid dynamic type");
  });

  it("trailing bytes and reserved bytes", () => {
    expect(decodeError("c3 c3", "bool").message).toContain("1 unexpected bytes");
    expect(decodeError("c1", "string").message).toContain("expected string, got reserved byte");
  });

  it("random corruption only ever raises ValueDecodeError", () => {
    const rand = rng(7);
    const type: CtyType = ["object", { a: ["list", ["map", "number"]], b: "dynamic", c: ["set", "string"] }];
    const good = encodeMsgpack(
      known(
        new Map<string, Value>([
          ["a", known([known(new Map([["k", known(2n ** 60n)]]))])],
          ["b", known("x", "string")],
          ["c", known([known("é"), { kind: "unknown", raw: hex("c7 03 0c 81 01 c2"), refinement: { notNull: true } }])],
        ]),
      ),
      type,
    );
    for (let i = 0; i < 3000; i++) {
      const bytes = Uint8Array.from(good);
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      try {
        decodeMsgpack(bytes.subarray(0, Math.floor(rand() * 1.2 * bytes.length)), type);
      } catch (e) {
        if (!(e instanceof ValueDecodeError)) throw e;
      }
    }
  });
});

describe("msgpack encoding rules", () => {
  it("numbers", () => {
    const enc = (p: number | bigint | string) => toHex(encodeMsgpack(known(p), "number"));
    expect(enc(1.5)).toBe("cb 3f f8 00 00 00 00 00 00");
    expect(enc(2 ** 60)).toBe("cb 43 b0 00 00 00 00 00 00"); // unsafe integer as float64
    expect(enc(5n)).toBe("05");
    expect(enc(2n ** 64n - 1n)).toBe("cf ff ff ff ff ff ff ff ff");
    expect(enc(-(2n ** 63n))).toBe("d3 80 00 00 00 00 00 00 00");
    expect(enc(2n ** 64n)).toBe(toHex(hex(str("18446744073709551616"))));
    expect(enc(-(2n ** 63n) - 1n)).toBe(toHex(hex(str("-9223372036854775809"))));
    expect(enc("0.30000000000000000001")).toBe(toHex(hex(str("0.30000000000000000001"))));
    expect(enc(-0)).toBe("00");
    expect(() => encodeMsgpack(known(NaN), "number")).toThrow(ValueEncodeError);
    expect(() => encodeMsgpack(known("abc"), "number")).toThrow(/expected a number/);
  });

  it("mismatched payloads fail with a path", () => {
    const type: CtyType = ["object", { list: ["list", "string"] }];
    const bad = known(new Map([["list", known([known("a"), known(3)])]]));
    expect(() => encodeMsgpack(bad, type)).toThrow(".list[1]: expected a string, got number");
    expect(() => encodeMsgpack(known(new Map([["zz", NULL]])), type)).toThrow(".zz: attribute is not in the type");
    expect(() => encodeMsgpack(known([known("a")]), ["tuple", ["string", "string"]])).toThrow(/tuple of 2/);
  });

  it("numberFromText", () => {
    expect(numberFromText("12345678901234567890")).toBe(12345678901234567890n);
    expect(numberFromText("-9007199254740991")).toBe(-9007199254740991);
    expect(numberFromText("9007199254740992")).toBe(9007199254740992n);
    expect(numberFromText("0.000")).toBe(0);
    expect(numberFromText("1e400")).toBe(10n ** 400n);
    expect(numberFromText("1e100000")).toBe("1e100000");
    expect(numberFromText("1.7976931348623157e309")).toBe(17976931348623157n * 10n ** 293n);
    expect(numberFromText("0.1000000000000000055511151231257827")).toBe("0.1000000000000000055511151231257827");
    expect(numberFromText("1.5e-7")).toBe(1.5e-7);
    expect(numberFromText(" 1")).toBeUndefined();
    expect(numberFromText("0x10")).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface GenOptions {
  unknowns: boolean;
}

function genValue(type: CtyType, rand: () => number, opts: GenOptions, depth = 0): Value {
  const r = rand();
  if (r < 0.1) return NULL;
  if (opts.unknowns && r < 0.16) {
    return rand() < 0.5 ? UNKNOWN : { kind: "unknown", raw: hex("c7 07 0c 82 01 c2 02 a2 75 2d"), refinement: { notNull: true, stringPrefix: "u-" } };
  }
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const count = () => Math.floor(rand() * (depth > 2 ? 2 : 5));
  switch (type) {
    case "string":
      return known(pick(["", "a", "__proto__", "héllo", "😀", "x".repeat(40), "ü".repeat(150), String(rand())]));
    case "bool":
      return known(rand() < 0.5);
    case "number":
      return known(
        pick<() => number | bigint | string>([
          () => Math.floor(rand() * 256) - 128,
          () => Math.floor(rand() * 2 ** 32) - 2 ** 31,
          () => Math.floor(rand() * Number.MAX_SAFE_INTEGER),
          () => -Math.floor(rand() * Number.MAX_SAFE_INTEGER),
          () => rand() * 1000,
          () => 2n ** 53n + BigInt(Math.floor(rand() * 1e9)),
          () => -(2n ** 62n) - BigInt(Math.floor(rand() * 1e9)),
          () => 2n ** 70n + 1n,
          () => "0.1000000000000000000000000001",
        ])(),
      );
    case "dynamic": {
      const concrete = pick<CtyType>(["string", "number", ["list", "string"], ["object", { a: "bool", b: ["map", "number"] }]]);
      const v = genValue(concrete, rand, { unknowns: false }, depth + 1);
      if (v.kind === "null") return rand() < 0.5 ? NULL : { kind: "null", dynamicType: concrete };
      return v.kind === "known" ? known(v.value, concrete) : v;
    }
  }
  switch (type[0]) {
    case "list":
    case "set":
      return known(Array.from({ length: count() }, () => genValue(type[1] as CtyType, rand, opts, depth + 1)));
    case "tuple":
      return known(type[1].map((t) => genValue(t, rand, opts, depth + 1)));
    case "map": {
      const m = new Map<string, Value>();
      for (let i = count(); i > 0; i--) m.set(pick(["a", "b", "__proto__", "k é", String(i)]), genValue(type[1], rand, opts, depth + 1));
      return known(m);
    }
    case "object": {
      const m = new Map<string, Value>();
      for (const name of Object.keys(type[1]).sort()) m.set(name, genValue(type[1][name]!, rand, opts, depth + 1));
      return known(m);
    }
  }
}

/** Structural sameness for tests: unknowns compare by their bytes, numbers by kind and value. */
function sameValue(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "unknown" && b.kind === "unknown") {
    const ra = toHex(a.raw ?? hex("d4 00 00"));
    const rb = toHex(b.raw ?? hex("d4 00 00"));
    return ra === rb && JSON.stringify(a.refinement ?? null) === JSON.stringify(b.refinement ?? null);
  }
  if (JSON.stringify((a as KnownValue).dynamicType ?? null) !== JSON.stringify((b as KnownValue).dynamicType ?? null)) return false;
  if (a.kind === "null") return true;
  const pa = (a as KnownValue).value;
  const pb = (b as KnownValue).value;
  if (Array.isArray(pa)) {
    const xs = pa as readonly Value[];
    const ys = pb as readonly Value[];
    return Array.isArray(pb) && xs.length === ys.length && xs.every((x, i) => sameValue(x, ys[i]!));
  }
  if (pa instanceof Map) {
    if (!(pb instanceof Map) || pa.size !== pb.size) return false;
    for (const [k, x] of pa) if (!pb.has(k) || !sameValue(x, pb.get(k)!)) return false;
    return true;
  }
  return pa === pb || (typeof pa === "number" && Object.is(pa, pb));
}

const propertyTypes: CtyType[] = [
  "string",
  "number",
  ["list", ["object", { name: "string", ports: ["set", "number"], on: "bool" }]],
  [
    "object",
    {
      id: "string",
      count: "number",
      tags: ["map", "string"],
      pair: ["tuple", ["string", "number"]],
      any: "dynamic",
      nested: ["object", { deep: ["list", ["map", ["list", "number"]]] }, ["deep"]],
    },
  ],
];

describe("msgpack round-trip properties (seeded)", () => {
  for (const [i, type] of propertyTypes.entries()) {
    it(`decode(encode(v)) = v and re-encoding is byte-identical, type #${i}`, () => {
      const rand = rng(1000 + i);
      for (let n = 0; n < 300; n++) {
        const v = genValue(type, rand, { unknowns: true });
        const bytes = encodeMsgpack(v, type);
        const back = decodeMsgpack(bytes, type);
        if (!sameValue(v, back)) throw new Error(`case ${n} differs: ${toHex(bytes)}`);
        expect(toHex(encodeMsgpack(back, type))).toBe(toHex(bytes));
      }
    });
  }
});
