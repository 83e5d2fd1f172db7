/**
 * Encoding: a growable Writer over the wire format, a pool that lends writers to encodes, and the
 * message encoder, which converts values the way protobufjs's fromObject does.
 */
import type { EnumInfo, Field, MessageType, Obj } from "./protobuf-descriptor.ts";
import { fieldMessage } from "./protobuf-descriptor.ts";
import { toLongBits } from "./protobuf-long.ts";
import {
  BOOL,
  BYTES,
  DOUBLE,
  ENUM,
  FIXED32,
  FIXED64,
  FLOAT,
  INT64,
  MAX_DEPTH,
  MESSAGE,
  SFIXED32,
  SFIXED64,
  SINT32,
  SINT64,
  STRING,
  UINT32,
  UINT64,
  WIRE_TYPE,
  protobufError,
} from "./protobuf-wire.ts";

export class Writer {
  buf = Buffer.allocUnsafe(4096);
  pos = 0;

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const size = Math.max(this.buf.length * 2, this.pos + n);
    this.buf = Buffer.concat([this.buf.subarray(0, this.pos)], size);
  }

  varint(n: number): void {
    this.ensure(5);
    while (n > 127) {
      this.buf[this.pos++] = (n & 127) | 128;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  varint64(lo: number, hi: number): void {
    this.ensure(10);
    while (hi !== 0 || lo > 127) {
      this.buf[this.pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
  }

  /** An int32 or enum number: a negative one is sign-extended to 64 bits, so takes 10 bytes. */
  int32(n: number): void {
    if (n < 0) this.varint64(n >>> 0, 0xffffffff);
    else this.varint(n);
  }

  fixed32(n: number): void {
    this.ensure(4);
    this.pos = this.buf.writeUInt32LE(n >>> 0, this.pos);
  }

  float(n: number): void {
    this.ensure(4);
    this.pos = this.buf.writeFloatLE(n, this.pos);
  }

  double(n: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleLE(n, this.pos);
  }

  /** Reserves one byte for a length and returns where; ldelim fills it in. */
  fork(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Fills in the length reserved at `at`, moving what follows up if the length needs more than a byte. */
  ldelim(at: number): void {
    const length = this.pos - at - 1;
    if (length < 128) {
      this.buf[at] = length;
      return;
    }
    const extra = length < 1 << 14 ? 1 : length < 1 << 21 ? 2 : length < 1 << 28 ? 3 : 4;
    const end = this.pos + extra;
    this.ensure(extra);
    this.buf.copyWithin(at + 1 + extra, at + 1, this.pos);
    this.pos = at;
    this.varint(length);
    this.pos = end;
  }

  string(s: string): void {
    const n = s.length;
    if (n > 42) {
      const length = Buffer.byteLength(s);
      this.varint(length);
      this.ensure(length);
      this.pos += this.buf.write(s, this.pos, length);
      return;
    }
    // At most 3 bytes per UTF-16 unit, so the length fits in the one byte written first.
    this.ensure(1 + 3 * n);
    const buf = this.buf;
    const at = this.pos;
    // ASCII is copied without a native call.
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c >= 128) break;
      buf[at + 1 + i] = c;
      i++;
    }
    const length = i === n ? n : buf.write(s, at + 1);
    buf[at] = length;
    this.pos = at + 1 + length;
  }

  bytes(b: ArrayLike<number>): void {
    const n = b.length >>> 0;
    this.varint(n);
    this.ensure(n);
    this.buf.set(b, this.pos);
    this.pos += n;
  }

  /** What was written, copied after `reserve` bytes left for the caller. */
  result(reserve: number): Buffer {
    const out = Buffer.allocUnsafe(reserve + this.pos);
    this.buf.copy(out, reserve, 0, this.pos);
    return out;
  }
}

// Larger writers are dropped after use rather than kept for the life of the process.
const MAX_KEPT_SIZE = 1 << 20;

/**
 * Keeps one idle writer, so that an encode allocates little more than its result. An encode that
 * starts while that writer is lent out (re-entrantly, from a getter on the message being encoded)
 * is lent a new one; whichever is released last is kept.
 */
export class WriterPool {
  private idle: Writer | undefined;

  acquire(): Writer {
    const w = this.idle ?? new Writer();
    this.idle = undefined;
    return w;
  }

  release(w: Writer): void {
    w.pos = 0;
    if (w.buf.length <= MAX_KEPT_SIZE) this.idle = w;
  }
}

/**
 * Maps and lists are encoded inline here, and zero scalars skipped before `writeValue`, on
 * purpose: split into smaller functions, this and writeValue became hot within the first
 * schema encode and V8 spent ~20 ms of start-up CPU optimising them.
 */
export function encodeMessage(t: MessageType, obj: Obj, w: Writer, depth: number): void {
  if (depth > MAX_DEPTH) throw protobufError("max depth exceeded");
  for (const f of t.fields) {
    const v = obj[f.name];
    if (v == null || ((f.map || f.repeated) && !v)) continue;
    if (f.map) {
      if (typeof v !== "object") throw new TypeError(`${t.name}.${f.name}: object expected`);
      const keyTag = (1 << 3) | WIRE_TYPE[f.keyKind]!;
      const valueTag = (2 << 3) | f.wire;
      for (const k of Object.keys(v)) {
        w.varint(f.tag);
        const at = w.fork();
        const value = (v as Obj)[k];
        writeValue(w, f.keyKind, undefined, f.keyKind === BOOL ? k === "true" : k, keyTag, true);
        if (f.kind === MESSAGE) {
          writeMessage(w, t, f, value, valueTag, depth);
        } else if (!writeValue(w, f.kind, f.enumInfo, value, valueTag, true)) {
          // protobufjs writes an unconvertible value (an unknown enum name, say) as the zero value.
          writeValue(w, f.kind, f.enumInfo, f.enumInfo ? f.enumInfo.first : f.zero, valueTag, true);
        }
        w.ldelim(at);
      }
    } else if (f.repeated) {
      if (!Array.isArray(v)) throw new TypeError(`${t.name}.${f.name}: array expected`);
      if (v.length === 0) continue;
      if (f.kind === MESSAGE) {
        for (const item of v) writeMessage(w, t, f, item, f.tag, depth);
      } else if (!f.packed) {
        for (const item of v) writeValue(w, f.kind, f.enumInfo, item, f.tag, true);
      } else {
        const start = w.pos;
        w.varint(f.tag);
        const at = w.fork();
        let written = false;
        for (const item of v) {
          if (writeValue(w, f.kind, f.enumInfo, item, NO_TAG, true)) written = true;
        }
        // Nothing but unknown enum names, which protobufjs drops: no field at all.
        if (written) w.ldelim(at);
        else w.pos = start;
      }
    } else if (f.kind === MESSAGE) {
      writeMessage(w, t, f, v, f.tag, depth);
    } else if (f.presence || !Object.is(v, f.zero)) {
      writeValue(w, f.kind, f.enumInfo, v, f.tag, f.presence);
    }
  }
}

function writeMessage(w: Writer, t: MessageType, f: Field, v: unknown, tag: number, depth: number): void {
  if (v === null || typeof v !== "object") throw new TypeError(`${t.name}.${f.name}: object expected`);
  w.varint(tag);
  const at = w.fork();
  encodeMessage(fieldMessage(f), v as Obj, w, depth + 1);
  w.ldelim(at);
}

/** The tag of an item of a packed list: none. */
const NO_TAG = -1;

/**
 * Writes a scalar or enum value after its tag (unless NO_TAG), converted as protobufjs's fromObject
 * converts it. A zero value is skipped unless `always`; returns whether anything was written.
 */
function writeValue(w: Writer, kind: number, enumInfo: EnumInfo | undefined, v: unknown, tag: number, always: boolean): boolean {
  switch (kind) {
    case STRING:
      return writeString(w, typeof v === "string" ? v : String(v), tag, always);
    case BYTES: {
      // A string is base64, as protobufjs's fromObject reads it.
      const bytes = typeof v === "string" ? Buffer.from(v, "base64") : (v as ArrayLike<number>);
      return writeBytes(w, bytes, tag, always);
    }
    case INT64:
    case UINT64:
    case SINT64:
    case FIXED64:
    case SFIXED64:
      return writeLong(w, kind, v, tag, always);
    case ENUM:
      return writeEnum(w, enumInfo!, v, tag, always);
    default:
      return writeNumber(w, kind, v, tag, always);
  }
}

function writeString(w: Writer, s: string, tag: number, always: boolean): boolean {
  if (!always && s.length === 0) return false;
  if (tag !== NO_TAG) w.varint(tag);
  w.string(s);
  return true;
}

function writeBytes(w: Writer, b: ArrayLike<number> | null | undefined, tag: number, always: boolean): boolean {
  // Anything without a length (null in a list, a number) is skipped, as protobufjs skips it.
  if (!(b != null && b.length >= 0) || (!always && b.length === 0)) return false;
  if (tag !== NO_TAG) w.varint(tag);
  w.bytes(b);
  return true;
}

function writeLong(w: Writer, kind: number, v: unknown, tag: number, always: boolean): boolean {
  const { lo, hi } = toLongBits(v, kind === UINT64 || kind === FIXED64);
  if (!always && lo === 0 && hi === 0) return false;
  if (tag !== NO_TAG) w.varint(tag);
  if (kind === SINT64) {
    // Zigzag: the sign moves to the low bit.
    const sign = hi >> 31;
    w.varint64(((lo << 1) ^ sign) >>> 0, (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0);
  } else if (kind === FIXED64 || kind === SFIXED64) {
    w.fixed32(lo);
    w.fixed32(hi);
  } else {
    w.varint64(lo, hi);
  }
  return true;
}

function writeEnum(w: Writer, enumInfo: EnumInfo, v: unknown, tag: number, always: boolean): boolean {
  // Names and int32 numbers; protobufjs drops anything else without a word.
  let n: number | undefined;
  if (typeof v === "string") n = enumInfo.numbers.get(v);
  else if (typeof v === "number" && (v | 0) === v) n = v;
  if (n === undefined || (!always && n === enumInfo.first)) return false;
  if (tag !== NO_TAG) w.varint(tag);
  w.int32(n);
  return true;
}

function writeNumber(w: Writer, kind: number, v: unknown, tag: number, always: boolean): boolean {
  const n = toNumber(kind, v);
  // -0.0 is written, as protobufjs does.
  if (!always && Object.is(n, 0)) return false;
  if (tag !== NO_TAG) w.varint(tag);
  switch (kind) {
    case DOUBLE:
      w.double(n);
      break;
    case FLOAT:
      w.float(n);
      break;
    case FIXED32:
    case SFIXED32:
      w.fixed32(n);
      break;
    case SINT32:
      w.varint(((n << 1) ^ (n >> 31)) >>> 0);
      break;
    default:
      w.int32(n);
  }
  return true;
}

function toNumber(kind: number, v: unknown): number {
  switch (kind) {
    case DOUBLE:
    case FLOAT:
      return Number(v);
    case BOOL:
      return v ? 1 : 0;
    case UINT32:
    case FIXED32:
      return (v as number) >>> 0;
    default:
      return (v as number) | 0;
  }
}
