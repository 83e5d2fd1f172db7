import { describe, expect, it } from "vitest";
import {
  bitString,
  boolean,
  encodeLength,
  explicitTag,
  generalizedTime,
  ia5String,
  implicitPrimitive,
  integer,
  namedBitString,
  nullValue,
  octetString,
  oid,
  sequence,
  set,
  utcTime,
  utf8String,
  x509Time,
} from "../../src/transport/der-encoder.ts";

const hex = (b: Buffer): string => b.toString("hex");

describe("encodeLength", () => {
  it("uses the short form below 128 and the minimal long form above", () => {
    expect(hex(encodeLength(0))).toBe("00");
    expect(hex(encodeLength(127))).toBe("7f");
    expect(hex(encodeLength(128))).toBe("8180");
    expect(hex(encodeLength(255))).toBe("81ff");
    expect(hex(encodeLength(256))).toBe("820100");
    expect(hex(encodeLength(0x10000))).toBe("83010000");
  });

  it("rejects invalid lengths", () => {
    expect(() => encodeLength(-1)).toThrow(RangeError);
    expect(() => encodeLength(1.5)).toThrow(RangeError);
  });

  it("is applied to long values", () => {
    const der = octetString(Buffer.alloc(300, 0xab));
    expect(hex(der.subarray(0, 4))).toBe("0482012c");
    expect(der.length).toBe(304);
  });
});

describe("integer", () => {
  it("encodes small numbers and zero", () => {
    expect(hex(integer(0))).toBe("020100");
    expect(hex(integer(2))).toBe("020102");
    expect(hex(integer(127))).toBe("02017f");
  });

  it("adds a leading zero when the high bit is set", () => {
    expect(hex(integer(128))).toBe("02020080");
    expect(hex(integer(256))).toBe("02020100");
    expect(hex(integer(Buffer.from("ff01", "hex")))).toBe("020300ff01");
  });

  it("strips redundant leading zeros of byte input", () => {
    expect(hex(integer(Buffer.from("00007f", "hex")))).toBe("02017f");
    expect(hex(integer(Buffer.from("000080", "hex")))).toBe("02020080");
    expect(hex(integer(Buffer.alloc(4)))).toBe("020100");
  });

  it("handles bigint and rejects negatives", () => {
    expect(hex(integer(2n ** 64n))).toBe("0209010000000000000000");
    expect(() => integer(-1)).toThrow(RangeError);
  });
});

describe("oid", () => {
  it("encodes well-known identifiers", () => {
    expect(hex(oid("1.2.840.10045.2.1"))).toBe("06072a8648ce3d0201");
    expect(hex(oid("1.2.840.10045.4.3.2"))).toBe("06082a8648ce3d040302");
    expect(hex(oid("2.5.4.3"))).toBe("0603550403");
    expect(hex(oid("1.3.6.1.5.5.7.3.1"))).toBe("06082b06010505070301");
    expect(hex(oid("2.5.29.17"))).toBe("0603551d11");
  });

  it("supports large arcs and a first arc of 2", () => {
    expect(hex(oid("2.999.3"))).toBe("0603883703");
    expect(hex(oid("1.2.4294967296"))).toBe("06062a9080808000");
  });

  it("rejects malformed identifiers", () => {
    expect(() => oid("1")).toThrow();
    expect(() => oid("1.40")).toThrow();
    expect(() => oid("3.1")).toThrow();
    expect(() => oid("1..2")).toThrow();
  });
});

describe("bit strings", () => {
  it("declares unused bits", () => {
    expect(hex(bitString(Buffer.from([0xab, 0xcd])))).toBe("030300abcd");
    expect(hex(bitString(Buffer.from([0x80]), 1))).toBe("03020780");
    expect(hex(bitString(Buffer.alloc(0), 0))).toBe("030100");
    expect(() => bitString(Buffer.from([0x80]), 0)).toThrow(RangeError);
  });

  it("encodes named bit lists without trailing zero bits", () => {
    // digitalSignature(0) only: one used bit.
    expect(hex(namedBitString([0]))).toBe("03020780");
    // digitalSignature, keyEncipherment, keyCertSign: 1010 01.. -> 2 unused bits.
    expect(hex(namedBitString([0, 2, 5]))).toBe("030202a4");
    // + keyAgreement(4): 0xac, still 2 unused bits.
    expect(hex(namedBitString([5, 4, 2, 0]))).toBe("030202ac");
    // decipherOnly(8) spills into a second byte.
    expect(hex(namedBitString([0, 8]))).toBe("0303078080");
    expect(hex(namedBitString([]))).toBe("030100");
  });
});

describe("simple types", () => {
  it("encodes BOOLEAN, NULL and strings", () => {
    expect(hex(boolean(true))).toBe("0101ff");
    expect(hex(boolean(false))).toBe("010100");
    expect(hex(nullValue())).toBe("0500");
    expect(hex(utf8String("localhost"))).toBe("0c096c6f63616c686f7374");
    expect(hex(utf8String("é"))).toBe("0c02c3a9");
    expect(hex(ia5String("a"))).toBe("160161");
    expect(() => ia5String("é")).toThrow(RangeError);
  });

  it("nests sequences and sorts SET OF elements", () => {
    expect(hex(sequence(integer(1), nullValue()))).toBe("30050201010500");
    expect(hex(sequence())).toBe("3000");
    expect(hex(set(integer(2), integer(1)))).toBe("3106020101020102");
  });

  it("builds context-specific tags", () => {
    expect(hex(explicitTag(0, integer(2)))).toBe("a003020102");
    expect(hex(explicitTag(3, sequence()))).toBe("a3023000");
    expect(hex(implicitPrimitive(2, Buffer.from("a")))).toBe("820161");
    expect(hex(implicitPrimitive(7, Buffer.from([127, 0, 0, 1])))).toBe("87047f000001");
  });
});

describe("times", () => {
  const ascii = (b: Buffer): string => b.subarray(2).toString("ascii");

  it("writes UTCTime with seconds and Z, dropping milliseconds", () => {
    const der = utcTime(new Date("2026-01-02T03:04:05.999Z"));
    expect(der[0]).toBe(0x17);
    expect(ascii(der)).toBe("260102030405Z");
    expect(ascii(utcTime(new Date("1999-12-31T23:59:59Z")))).toBe("991231235959Z");
    expect(() => utcTime(new Date("2050-01-01T00:00:00Z"))).toThrow(RangeError);
  });

  it("writes GeneralizedTime with a four-digit year", () => {
    const der = generalizedTime(new Date("2056-07-08T09:10:11.500Z"));
    expect(der[0]).toBe(0x18);
    expect(ascii(der)).toBe("20560708091011Z");
  });

  it("switches from UTCTime to GeneralizedTime at 2050", () => {
    expect(x509Time(new Date("2049-12-31T23:59:59Z"))[0]).toBe(0x17);
    expect(x509Time(new Date("2050-01-01T00:00:00Z"))[0]).toBe(0x18);
    expect(x509Time(new Date("1949-12-31T23:59:59Z"))[0]).toBe(0x18);
    expect(() => x509Time(new Date(Number.NaN))).toThrow(RangeError);
  });
});
