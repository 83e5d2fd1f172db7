import { describe, expect, it } from "vitest";
import type { CtyType } from "../../src/values/cty-type.ts";
import { decodeDynamicValue, encodeDynamicValue } from "../../src/protocol/dynamic-value.ts";
import { ValueDecodeError } from "../../src/values/value-errors.ts";
import { NULL, known, type KnownValue, type Value } from "../../src/values/value.ts";

const type: CtyType = ["object", { id: "string", n: "number" }];
// {id: "x", n: null} as go-cty writes it
const objectBytes = Buffer.from("82a26964a178a16ec0", "hex");

describe("decodeDynamicValue", () => {
  it("prefers msgpack when it is non-empty", () => {
    const v = decodeDynamicValue({ msgpack: objectBytes, json: Buffer.from('{"id":"other","n":1}') }, type);
    expect((v as KnownValue).value).toEqual(
      new Map<string, Value>([
        ["id", known("x")],
        ["n", NULL],
      ]),
    );
  });

  it("falls back to JSON when msgpack is empty or absent", () => {
    for (const msgpack of [undefined, null, new Uint8Array(0)]) {
      const v = decodeDynamicValue({ msgpack, json: Buffer.from('{"id":"j","n":12345678901234567890}') }, type);
      expect((v as KnownValue).value).toEqual(
        new Map<string, Value>([
          ["id", known("j")],
          ["n", known(12345678901234567890n)],
        ]),
      );
    }
  });

  it("passes JSON options through (stored state from an older schema)", () => {
    const v = decodeDynamicValue({ json: Buffer.from('{"id":"j","gone":true}') }, type, { ignoreUndefinedAttributes: true });
    expect((v as KnownValue).value).toEqual(
      new Map<string, Value>([
        ["id", known("j")],
        ["n", NULL],
      ]),
    );
    expect(() => decodeDynamicValue({ json: Buffer.from('{"id":"j","gone":true}') }, type)).toThrow(ValueDecodeError);
  });

  it("is a null value when neither is set", () => {
    expect(decodeDynamicValue(undefined, type)).toEqual(NULL);
    expect(decodeDynamicValue(null, type)).toEqual(NULL);
    expect(decodeDynamicValue({}, type)).toEqual(NULL);
    expect(decodeDynamicValue({ msgpack: new Uint8Array(0), json: new Uint8Array(0) }, type)).toEqual(NULL);
  });

  it("reports errors as ValueDecodeError", () => {
    expect(() => decodeDynamicValue({ msgpack: Buffer.from("81a26964a178", "hex") }, type)).toThrow(ValueDecodeError);
  });
});

describe("encodeDynamicValue", () => {
  it("writes msgpack into a Buffer", () => {
    const out = encodeDynamicValue(known(new Map([["id", known("x")]])), type);
    expect(Buffer.isBuffer(out.msgpack)).toBe(true);
    expect(out.msgpack.toString("hex")).toBe(objectBytes.toString("hex"));
    expect(Object.keys(out)).toEqual(["msgpack"]);
  });

  it("echoes a request's refined unknown untouched", () => {
    const request = Buffer.from("82a26964c7070c8201c202a2752da16ed40000", "hex");
    const v = decodeDynamicValue({ msgpack: request }, type);
    expect(encodeDynamicValue(v, type).msgpack.equals(request)).toBe(true);
  });

  it("consecutive results do not share memory", () => {
    const a = encodeDynamicValue(known("first"), "string").msgpack;
    const b = encodeDynamicValue(known("second"), "string").msgpack;
    expect(a.toString("hex")).toBe("a56669727374");
    expect(b.toString("hex")).toBe("a67365636f6e64");
  });

  it("null", () => {
    expect(encodeDynamicValue(NULL, type).msgpack.toString("hex")).toBe("c0");
  });
});
