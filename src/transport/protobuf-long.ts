/**
 * 64-bit integers, which JavaScript numbers cannot hold exactly: on the wire they are two unsigned
 * 32-bit halves; on objects they are what protobufjs gives (decimal strings) and takes.
 */
import { INT64, SFIXED64, SINT64 } from "./protobuf-wire.ts";

/** A 64-bit value as unsigned 32-bit halves. */
export interface LongBits {
  lo: number;
  hi: number;
}

/** The decimal string protobufjs's toObject gives (longs: String) for a value of `kind` read as halves. */
export function longToString(lo: number, hi: number, kind: number): string {
  if (kind === SINT64) {
    // Zigzag: the low bit is the sign, the other bits are the magnitude or its complement.
    const negative = (lo & 1) !== 0;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi >>>= 1;
    if (negative) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    }
  }
  if (hi === 0) return String(lo);
  // Below 2^53 the value is exact as a number, and String is faster than BigInt.
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  const signed = kind === INT64 || kind === SINT64 || kind === SFIXED64;
  if (signed && hi === 0xffffffff) return String(lo - 4294967296);
  const big = (BigInt(hi) << 32n) | BigInt(lo);
  return (signed ? BigInt.asIntN(64, big) : big).toString();
}

/**
 * Converts what protobufjs's Long.fromValue takes: numbers (truncated, saturating), decimal strings,
 * bigints and Long-like { low, high } objects; anything else is 0.
 */
export function toLongBits(v: unknown, unsigned: boolean): LongBits {
  if (typeof v === "number") return numberBits(v, unsigned);
  if (typeof v === "string") return bigintBits(v === "0" ? 0n : parseLong(v));
  if (typeof v === "bigint") return bigintBits(v);
  if (v !== null && typeof v === "object") {
    const { low, high } = v as { low: number; high: number };
    return { lo: low >>> 0, hi: high >>> 0 };
  }
  return { lo: 0, hi: 0 };
}

function numberBits(v: number, unsigned: boolean): LongBits {
  if (v >= 0 && v <= 0xffffffff && Number.isInteger(v)) return { lo: v, hi: 0 };
  if (Number.isNaN(v) || (unsigned && v < 0)) return { lo: 0, hi: 0 };
  // Out of range saturates, as Long.fromNumber does.
  if (v >= (unsigned ? 2 ** 64 : 2 ** 63)) return { lo: 0xffffffff, hi: unsigned ? 0xffffffff : 0x7fffffff };
  if (!unsigned && v <= -(2 ** 63)) return { lo: 0, hi: 0x80000000 };
  return bigintBits(BigInt(Math.trunc(v)));
}

function bigintBits(b: bigint): LongBits {
  const u = BigInt.asUintN(64, b);
  return { lo: Number(u & 0xffffffffn), hi: Number(u >> 32n) };
}

function parseLong(s: string): bigint {
  try {
    return BigInt(s);
  } catch {
    // As Long.fromString, which reads "1.5" as 1 and "abc" as 0.
    const n = parseInt(s, 10);
    return Number.isFinite(n) ? BigInt(n) : 0n;
  }
}
