import { describe, expect, it } from "vitest";
import type { CtyType } from "../../src/values/cty-type.ts";
import { decodeJson } from "../../src/protocol/json-codec.ts";
import { ValueDecodeError } from "../../src/values/value-errors.ts";
import { NULL, known, type KnownValue, type Value } from "../../src/values/value.ts";

function payload(v: Value): unknown {
  expect(v.kind).toBe("known");
  return (v as KnownValue).value;
}

function decodeError(input: string | Uint8Array, type: CtyType): ValueDecodeError {
  try {
    decodeJson(input, type);
  } catch (e) {
    expect(e).toBeInstanceOf(ValueDecodeError);
    return e as ValueDecodeError;
  }
  throw new Error("expected a decode error");
}

const objIdN: CtyType = ["object", { id: "string", n: "number" }];

describe("JSON DynamicValues", () => {
  it('object {id: "x", n: null}, from bytes and from a string', () => {
    for (const input of [Buffer.from('{"id":"x","n":null}'), ' { "n" : null , "id" : "x" } ']) {
      const m = payload(decodeJson(input, objIdN)) as Map<string, Value>;
      expect(m.get("id")).toEqual(known("x"));
      expect(m.get("n")).toEqual(NULL);
    }
    expect(decodeJson("null", objIdN)).toEqual(NULL);
  });

  it("numbers: a 20-digit integer is an exact bigint, others as msgpack", () => {
    const n = (text: string) => payload(decodeJson(text, "number"));
    expect(n("12345678901234567890")).toBe(12345678901234567890n);
    expect(n("-98765432109876543210")).toBe(-98765432109876543210n);
    expect(n("9007199254740991")).toBe(9007199254740991);
    expect(n("1.5")).toBe(1.5);
    expect(n("0.1")).toBe(0.1);
    expect(n("1e3")).toBe(1000);
    expect(n("-0")).toBe(0);
    expect(n("3.14159265358979323846264338")).toBe("3.14159265358979323846264338");
    expect(n('"42"')).toBe(42); // go-cty converts strings to numbers
    expect(decodeError('"forty"', "number").message).toBe('expected number, got string "forty"');
    expect(decodeError("true", "number").message).toBe("expected number, got boolean");
  });

  it("strings and bools convert like go-cty", () => {
    expect(payload(decodeJson("12", "string"))).toBe("12");
    expect(payload(decodeJson("true", "string"))).toBe("true");
    expect(payload(decodeJson('"false"', "bool"))).toBe(false);
    expect(decodeError("[]", "string").message).toBe("expected string, got array");
  });

  it("string escapes", () => {
    const s = (text: string) => payload(decodeJson(text, "string"));
    expect(s(String.raw`"a\"b\\c\/d\b\f\n\r\t"`)).toBe('a"b\\c/d\b\f\n\r\t');
    expect(s(String.raw`"\u00e9\ud83d\ude00"`)).toBe("é😀");
    expect(s(String.raw`"x\ud800y"`)).toBe("x\ufffdy"); // lone surrogate, as Go's decoder does
    expect(s('"héllo 😀"')).toBe("héllo 😀");
  });

  it("nested list of objects, set of strings, map of strings, tuple", () => {
    const type: CtyType = ["list", ["object", { name: "string", ports: ["list", "number"] }]];
    const items = payload(decodeJson('[{"name":"a","ports":[80,8080]},{"name":null,"ports":[]}]', type)) as Value[];
    expect(payload(items[0]!)).toEqual(
      new Map([
        ["name", known("a")],
        ["ports", known([known(80), known(8080)])],
      ]),
    );
    expect((payload(items[1]!) as Map<string, Value>).get("ports")).toEqual(known([]));
    expect(payload(decodeJson('["b","a"]', ["set", "string"]))).toEqual([known("b"), known("a")]);
    const m = payload(decodeJson('{"__proto__":"x","b":null}', ["map", "string"])) as Map<string, Value>;
    expect(m.get("__proto__")).toEqual(known("x"));
    expect(m.get("b")).toEqual(NULL);
    expect(payload(decodeJson('["a",1]', ["tuple", ["string", "number"]]))).toEqual([known("a"), known(1)]);
    expect(decodeError('["a"]', ["tuple", ["string", "number"]]).message).toContain("tuple of 2 elements");
  });

  it("dynamic: {value, type}", () => {
    expect(decodeJson('{"value":"hi","type":"string"}', "dynamic")).toEqual({ kind: "known", value: "hi", dynamicType: "string" });
    const v = decodeJson('{"type":["object",{"a":"number"}],"value":{"a":12345678901234567890}}', "dynamic");
    expect(v.kind === "known" && v.dynamicType).toEqual(["object", { a: "number" }]);
    expect((payload(v) as Map<string, Value>).get("a")).toEqual(known(12345678901234567890n));
    expect(decodeJson('{"value":null,"type":"string"}', "dynamic")).toEqual({ kind: "null", dynamicType: "string" });
    expect(decodeJson("null", "dynamic")).toEqual(NULL);
    expect(decodeError('{"value":"hi"}', "dynamic").message).toContain("missing type");
    expect(decodeError('{"value":"hi","type":"string","x":1}', "dynamic").message).toContain('invalid key "x"');
    expect(decodeError('"hi"', "dynamic").message).toContain("dynamic value");
  });

  it("absent attributes read as null (go-cty's JSON rule); extra ones fail unless ignored", () => {
    const m = payload(decodeJson('{"id":"x"}', objIdN)) as Map<string, Value>;
    expect(m.get("n")).toEqual(NULL);
    expect(m.size).toBe(2);
    const type: CtyType = ["object", { tags: ["map", ["object", { a: "string" }]] }];
    const e = decodeError('{"tags":{"x":{"a":"1","zz":2}}}', type);
    expect(e.path).toBe('.tags["x"].zz');
    expect(e.message).toMatch(/unsupported attribute/);
    const relaxed = decodeJson('{"tags":{"x":{"a":"1","zz":2}},"old":true}', type, { ignoreUndefinedAttributes: true });
    expect(payload(relaxed)).toEqual(new Map([["tags", known(new Map([["x", known(new Map([["a", known("1")]]))]]))]]));
  });

  it("errors name the path", () => {
    const type: CtyType = ["object", { attr: ["list", "string"] }];
    expect(decodeError('{"attr":["a","b",{}]}', type).message).toBe(".attr[2]: expected string, got object");
    expect(decodeError('{"attr":{}}', type).message).toBe(".attr: expected array for list, got object");
  });

  it("malformed JSON", () => {
    for (const bad of ["", "{", '{"a":1,}', "[1,]", "'x'", '{"a" 1}', "[1 2]", "tru", "01", '"a\\x"', '"\u0001"', "1 2", "-", '"\\u12"']) {
      expect(decodeError(bad, ["map", "number"]).message).toMatch(/^invalid JSON/);
    }
  });

  it("truncated input at every length never crashes", () => {
    const full = '{"id":"x\\u00e9","n":12345678901234567890.5e-3}';
    for (let n = 0; n < full.length; n++) decodeError(full.slice(0, n), objIdN);
  });

  it("invalid UTF-8 bytes are refused", () => {
    expect(decodeError(Uint8Array.from([0x22, 0xc3, 0x28, 0x22]), "string").message).toBe("JSON is not valid UTF-8");
  });

  it("depth bombs are refused without overflowing the stack", () => {
    expect(decodeError("[".repeat(200000), ["list", "string"]).message).toContain("nested too deeply");
    let type: CtyType = "number";
    for (let i = 0; i < 100; i++) type = ["list", type];
    expect(decodeError(`${"[".repeat(100)}1${"]".repeat(100)}`, type).message).toContain("nested more than 64 levels");
  });
});

// ---------------------------------------------------------------------------------------------
// Round-trip property: values written as go-cty's JSON marshaller would, then read back.

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

function gen(type: CtyType, rand: () => number, depth = 0): Value {
  if (rand() < 0.1) return NULL;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const count = () => Math.floor(rand() * (depth > 2 ? 2 : 5));
  switch (type) {
    case "string":
      return known(pick(["", "a", "__proto__", 'q"uote\\', "tab\t", "héllo", "😀", String(rand())]));
    case "bool":
      return known(rand() < 0.5);
    case "number":
      return known(
        pick<() => number | bigint | string>([
          () => Math.floor(rand() * 2 ** 32) - 2 ** 31,
          () => rand() * 1e6,
          () => rand() * 1e-9,
          () => 10n ** 19n + BigInt(Math.floor(rand() * 1e9)),
          () => -(10n ** 25n),
          () => "0.1000000000000000000000000001",
        ])(),
      );
    case "dynamic": {
      const concrete = pick<CtyType>(["string", ["list", "number"], ["object", { a: "bool" }]]);
      const v = gen(concrete, rand, depth + 1);
      return v.kind === "known" ? known(v.value, concrete) : { kind: "null", dynamicType: concrete };
    }
  }
  switch (type[0]) {
    case "list":
    case "set":
      return known(Array.from({ length: count() }, () => gen(type[1] as CtyType, rand, depth + 1)));
    case "tuple":
      return known(type[1].map((t) => gen(t, rand, depth + 1)));
    case "map": {
      const m = new Map<string, Value>();
      for (let i = count(); i > 0; i--) m.set(pick(["a", "__proto__", "k é", String(i)]), gen(type[1], rand, depth + 1));
      return known(m);
    }
    case "object": {
      const m = new Map<string, Value>();
      for (const name of Object.keys(type[1])) m.set(name, gen(type[1][name]!, rand, depth + 1));
      return known(m);
    }
  }
}

function toJson(v: Value, type: CtyType): string {
  if (type === "dynamic") {
    if (v.kind === "unknown" || v.dynamicType === undefined) return "null";
    const t = v.dynamicType;
    return `{"value":${toJson(v.kind === "null" ? NULL : known((v as KnownValue).value), t)},"type":${JSON.stringify(t)}}`;
  }
  if (v.kind !== "known") return "null";
  const p = v.value;
  if (type === "number") return String(p); // numbers, bigints and decimal text alike
  if (typeof type === "string") return JSON.stringify(p);
  switch (type[0]) {
    case "list":
    case "set":
      return `[${(p as Value[]).map((x) => toJson(x, type[1] as CtyType)).join(",")}]`;
    case "tuple":
      return `[${(p as Value[]).map((x, i) => toJson(x, type[1][i]!)).join(",")}]`;
    case "map":
      return `{${[...(p as Map<string, Value>)].map(([k, x]) => `${JSON.stringify(k)}:${toJson(x, type[1])}`).join(",")}}`;
    case "object":
      return `{${[...(p as Map<string, Value>)].map(([k, x]) => `${JSON.stringify(k)}:${toJson(x, type[1][k]!)}`).join(",")}}`;
  }
}

function same(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  if (JSON.stringify((a as KnownValue).dynamicType ?? null) !== JSON.stringify((b as KnownValue).dynamicType ?? null)) return false;
  if (a.kind !== "known") return true;
  const pa = a.value;
  const pb = (b as KnownValue).value;
  if (Array.isArray(pa)) {
    const ys = pb as readonly Value[];
    return Array.isArray(pb) && pa.length === ys.length && (pa as Value[]).every((x, i) => same(x, ys[i]!));
  }
  if (pa instanceof Map) {
    if (!(pb instanceof Map) || pa.size !== pb.size) return false;
    for (const [k, x] of pa) if (!pb.has(k) || !same(x, pb.get(k)!)) return false;
    return true;
  }
  return pa === pb;
}

describe("JSON round-trip properties (seeded)", () => {
  const types: CtyType[] = [
    ["list", ["object", { name: "string", ports: ["set", "number"], on: "bool" }]],
    ["object", { id: "string", count: "number", tags: ["map", "string"], pair: ["tuple", ["string", "number"]], any: "dynamic" }],
  ];
  for (const [i, type] of types.entries()) {
    it(`decodeJson(toJson(v)) = v, type #${i}`, () => {
      const rand = rng(2000 + i);
      for (let n = 0; n < 300; n++) {
        const v = gen(type, rand);
        const text = toJson(v, type);
        const back = decodeJson(Buffer.from(text), type);
        if (!same(v, back)) throw new Error(`case ${n} differs: ${text}`);
      }
    });
  }
});
