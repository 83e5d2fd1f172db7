/**
 * A minimal ASN.1 DER encoder: just enough to build an X.509 certificate.
 * Every function returns a complete TLV (tag, length, value) as a Buffer, so
 * structures are composed by nesting calls. Output is canonical DER, which
 * strict parsers (Go's crypto/x509) insist on.
 */

const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Definite-length encoding: short form below 128, otherwise the minimal long form. */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`invalid DER length: ${length}`);
  }
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Uint8Array): Buffer {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff) {
    throw new RangeError(`only single-byte tags are supported: ${tag}`);
  }
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(TAG.SEQUENCE, Buffer.concat(items));
}

/** SET OF: DER requires the elements sorted by their encodings. */
export function set(...items: Uint8Array[]): Buffer {
  const sorted = items.map((i) => Buffer.from(i)).sort(Buffer.compare);
  return tlv(TAG.SET, Buffer.concat(sorted));
}

export function boolean(value: boolean): Buffer {
  // DER: TRUE is exactly 0xff.
  return tlv(TAG.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return tlv(TAG.NULL, Buffer.alloc(0));
}

/**
 * INTEGER from a non-negative value. A Buffer is read as an unsigned
 * big-endian magnitude. Leading zero bytes are stripped and one is added back
 * when the high bit is set, so the two's-complement reading stays positive.
 */
export function integer(value: number | bigint | Uint8Array): Buffer {
  let magnitude: Buffer;
  if (typeof value === "number" || typeof value === "bigint") {
    let n = BigInt(value);
    if (n < 0n) throw new RangeError("negative INTEGER is not supported");
    const bytes: number[] = [];
    while (n > 0n) {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
    }
    magnitude = Buffer.from(bytes);
  } else {
    magnitude = Buffer.from(value);
  }
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  let body = magnitude.subarray(start);
  if (body.length === 0) body = Buffer.from([0]);
  else if ((body[0]! & 0x80) !== 0) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(TAG.INTEGER, body);
}

/** OBJECT IDENTIFIER from dotted notation, e.g. "1.2.840.10045.2.1". */
export function oid(dotted: string): Buffer {
  if (!/^\d+(\.\d+)+$/.test(dotted)) throw new SyntaxError(`invalid OID: ${dotted}`);
  const arcs = dotted.split(".").map((a) => BigInt(a));
  const [first, second] = arcs as [bigint, bigint];
  if (first > 2n || (first < 2n && second > 39n)) throw new SyntaxError(`invalid OID: ${dotted}`);
  const out: number[] = [];
  // The first two arcs share one sub-identifier.
  for (const arc of [first * 40n + second, ...arcs.slice(2)]) {
    const group: number[] = [Number(arc & 0x7fn)];
    for (let n = arc >> 7n; n > 0n; n >>= 7n) group.unshift(Number(n & 0x7fn) | 0x80);
    out.push(...group);
  }
  return tlv(TAG.OBJECT_IDENTIFIER, Buffer.from(out));
}

/**
 * BIT STRING. With `bitLength` given, the trailing unused bits are declared
 * (and must be zero). Named-bit lists should use {@link namedBitString}.
 */
export function bitString(bytes: Uint8Array, bitLength = bytes.length * 8): Buffer {
  const unused = bytes.length * 8 - bitLength;
  if (unused < 0 || unused > 7 || (bytes.length === 0 && unused !== 0)) {
    throw new RangeError(`bit length ${bitLength} does not fit ${bytes.length} bytes`);
  }
  return tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([unused]), bytes]));
}

/**
 * BIT STRING for a NamedBitList (bit 0 = most significant bit of the first
 * byte). DER drops trailing zero bits, so the length is the highest set bit + 1.
 */
export function namedBitString(bits: readonly number[]): Buffer {
  if (bits.length === 0) return bitString(Buffer.alloc(0), 0);
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) {
    if (!Number.isInteger(bit) || bit < 0) throw new RangeError(`invalid bit number: ${bit}`);
    bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  return bitString(bytes, highest + 1);
}

export function octetString(bytes: Uint8Array): Buffer {
  return tlv(TAG.OCTET_STRING, bytes);
}

export function utf8String(text: string): Buffer {
  return tlv(TAG.UTF8_STRING, Buffer.from(text, "utf8"));
}

export function ia5String(text: string): Buffer {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new RangeError("IA5String must be ASCII");
  return tlv(TAG.IA5_STRING, Buffer.from(text, "ascii"));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function assertValidDate(date: Date): void {
  if (Number.isNaN(date.getTime())) throw new RangeError("invalid date");
}

/** UTCTime YYMMDDHHMMSSZ (RFC 5280: seconds present, always Zulu, years 1950–2049). */
export function utcTime(date: Date): Buffer {
  assertValidDate(date);
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 2049) throw new RangeError(`UTCTime cannot hold year ${year}`);
  const text =
    pad(year % 100, 2) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    "Z";
  return tlv(TAG.UTC_TIME, Buffer.from(text, "ascii"));
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280: no fractional seconds). */
export function generalizedTime(date: Date): Buffer {
  assertValidDate(date);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`GeneralizedTime cannot hold year ${year}`);
  const text =
    pad(year, 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    "Z";
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(text, "ascii"));
}

/** X.509 Time: RFC 5280 requires UTCTime through 2049 and GeneralizedTime from 2050. */
export function x509Time(date: Date): Buffer {
  assertValidDate(date);
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? utcTime(date) : generalizedTime(date);
}

/** [n] EXPLICIT: a constructed context-specific wrapper around a complete TLV. */
export function explicitTag(tagNumber: number, inner: Uint8Array): Buffer {
  if (tagNumber < 0 || tagNumber > 30) throw new RangeError(`unsupported tag number ${tagNumber}`);
  return tlv(0xa0 | tagNumber, inner);
}

/** [n] IMPLICIT for a primitive type: the value bytes under a context-specific tag. */
export function implicitPrimitive(tagNumber: number, value: Uint8Array): Buffer {
  if (tagNumber < 0 || tagNumber > 30) throw new RangeError(`unsupported tag number ${tagNumber}`);
  return tlv(0x80 | tagNumber, value);
}
