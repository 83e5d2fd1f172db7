/**
 * Proto3 codec driven by the generated descriptor, in place of protobufjs, whose Root and `new Function`
 * codecs cost ~40-50 ms of start-up: here a message type's table is built the first time it is used.
 * Objects match protobufjs's toObject with { longs: String, enums: String, bytes: Buffer, defaults: true, oneofs: true }.
 */
import { isUtf8 } from "node:buffer";
import descriptor from "../generated/proto-descriptor.json" with { type: "json" };

export interface MessageCodec<T = object> {
  /** The message's bytes, after `reserve` bytes left for the caller (a frame header), so a reply is copied once. */
  encode(message: T, reserve?: number): Buffer;
  decode(bytes: Uint8Array): T;
}

export interface MethodDescriptor {
  name: string; path: string; requestStream: boolean; responseStream: boolean; request: MessageCodec; response: MessageCodec;
}

interface FieldJson { type: string; id: number; rule?: string; keyType?: string; options?: Record<string, unknown> }
interface MethodJson { requestType: string; responseType: string; requestStream?: boolean; responseStream?: boolean }
interface NodeJson {
  nested?: Record<string, NodeJson>; fields?: Record<string, FieldJson>; oneofs?: Record<string, { oneof: string[] }>;
  values?: Record<string, number>; methods?: Record<string, MethodJson>;
}
type Obj = Record<string, unknown>;

const DOUBLE = 0, FLOAT = 1, INT32 = 2, UINT32 = 3, SINT32 = 4, FIXED32 = 5, SFIXED32 = 6, INT64 = 7, UINT64 = 8,
  SINT64 = 9, FIXED64 = 10, SFIXED64 = 11, BOOL = 12, STRING = 13, BYTES = 14, ENUM = 15, MESSAGE = 16;
const SCALARS = new Map(
  ["double", "float", "int32", "uint32", "sint32", "fixed32", "sfixed32", "int64", "uint64", "sint64", "fixed64", "sfixed64", "bool", "string", "bytes"]
    .map((name, kind) => [name, kind]),
);
// Wire type and zero value of each kind above, in the same order.
const WIRE = [1, 5, 0, 0, 0, 5, 5, 0, 0, 0, 1, 1, 0, 2, 2, 0, 2];
const EMPTY = Buffer.alloc(0);
const ZERO = [0, 0, 0, 0, 0, 0, 0, "0", "0", "0", "0", "0", false, "", EMPTY];
// Same nesting limit as protobufjs, so hostile input cannot exhaust the stack.
const MAX_DEPTH = 100;

interface EnumInfo { names: Map<number, string>; numbers: Map<string, number>; first: number }
interface Field {
  name: string; id: number; kind: number; wire: number; tag: number; keyKind: number; zero: unknown;
  repeated: boolean; map: boolean; packed: boolean; en: EnumInfo | undefined; msgName: string; msg: MessageType | undefined;
  /** Oneof members and proto3 `optional` fields: absent unless set, written even when zero. */
  presence: boolean;
  /** Named on decoded objects; protobufjs does not name the synthetic oneof of a proto3 `optional`. */
  oneof: string | undefined;
  siblings: string[];
}
interface MessageType { name: string; fields: Field[]; byId: (Field | undefined)[]; initial: Field[] }

function node(fullName: string): NodeJson | undefined {
  let n: NodeJson | undefined = descriptor as unknown as NodeJson;
  for (const part of fullName.split(".")) if (!(n = n.nested && Object.hasOwn(n.nested, part) ? n.nested[part] : undefined)) return;
  return n;
}

// Protobuf scoping: a relative name is looked up in the innermost enclosing scope first, then outward.
function resolve(name: string, scope: string): string {
  if (name.startsWith(".")) return name.slice(1);
  for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf(".")))) {
    const full = s ? `${s}.${name}` : name;
    if (node(full)) return full;
    if (!s) throw new Error(`protobuf: cannot resolve ${name} from ${scope}`);
  }
}

const types = new Map<string, MessageType>();
function messageType(fullName: string): MessageType {
  const cached = types.get(fullName);
  if (cached) return cached;
  const n = node(fullName);
  if (!n?.fields) throw new Error(`protobuf: no message type ${fullName}`);
  const oneofOf = new Map<string, string[]>();
  for (const [name, o] of Object.entries(n.oneofs ?? {})) for (const member of o.oneof) oneofOf.set(member, [name, ...o.oneof]);
  const fields = Object.entries(n.fields).map(([name, f]): Field => {
    let kind = SCALARS.get(f.type), en: EnumInfo | undefined, msgName = "", zero: unknown;
    if (kind === undefined) {
      const values = node((msgName = resolve(f.type, fullName)))!.values;
      kind = values ? ENUM : MESSAGE;
      if (values) {
        const entries = Object.entries(values);
        en = { names: new Map(entries.map(([k, v]) => [v, k])), numbers: new Map(entries), first: entries[0]?.[1] ?? 0 };
      }
      zero = en ? en.names.get(en.first) : null;
    } else zero = ZERO[kind];
    const map = f.keyType !== undefined, repeated = f.rule === "repeated", oneof = oneofOf.get(name);
    const packed = repeated && WIRE[kind] !== 2 && f.options?.packed !== false;
    const synthetic = oneof?.length === 2 && f.options?.proto3_optional === true;
    return {
      name, id: f.id, kind, wire: WIRE[kind]!, tag: ((f.id << 3) | (map || packed ? 2 : WIRE[kind]!)) >>> 0,
      keyKind: map ? SCALARS.get(f.keyType!)! : 0, zero, repeated, map, packed, en, msgName, msg: undefined,
      presence: oneof !== undefined, oneof: synthetic ? undefined : oneof?.[0], siblings: oneof?.slice(1).filter((m) => m !== name) ?? [],
    };
  });
  fields.sort((a, b) => a.id - b.id);
  const byId: (Field | undefined)[] = [];
  for (const f of fields) byId[f.id] = f;
  // What a decoded object starts with, in protobufjs's key order: lists, maps, then the rest, each by number.
  const initial = [...fields.filter((f) => f.repeated), ...fields.filter((f) => f.map), ...fields.filter((f) => !f.repeated && !f.map && !f.presence)];
  const t = { name: fullName, fields, byId, initial };
  types.set(fullName, t);
  return t;
}

function newObject(t: MessageType): Obj {
  const o: Obj = {};
  for (const f of t.initial) o[f.name] = f.repeated ? [] : f.map ? {} : f.zero;
  return o;
}

const msgOf = (f: Field): MessageType => (f.msg ??= messageType(f.msgName));

const fail = (message: string): never => {
  throw new Error(`protobuf: ${message}`);
};

class Reader {
  pos = 0;
  /** High 32 bits of the last varint read. */
  hi = 0;
  constructor(readonly buf: Buffer, public end = buf.length) {}
  /** Low 32 bits of a varint, unsigned; the high bits go to `hi`. */
  varint(): number {
    const buf = this.buf, end = this.end;
    let pos = this.pos, lo = 0, hi = 0;
    if (pos < end && buf[pos]! < 128) return (this.hi = 0), buf[this.pos++]!;
    for (let i = 0, b = 128; b >= 128; i++) {
      if (pos >= end) fail("truncated varint");
      if (i === 10) fail("varint longer than 10 bytes");
      b = buf[pos++]!;
      if (i < 4) lo |= (b & 127) << (7 * i);
      else if (i === 4) (lo |= (b & 127) << 28), (hi = (b & 127) >> 4);
      else hi |= (b & 127) << (7 * i - 32); // bits beyond 64 are dropped, as protobufjs does
    }
    this.pos = pos;
    this.hi = hi >>> 0;
    return lo >>> 0;
  }
  tag(): number {
    const start = this.pos, t = this.varint();
    if (this.hi !== 0 || this.pos - start > 5) fail("invalid tag");
    if (t >>> 3 === 0) fail("field number 0");
    return t;
  }
  /** Reads a length prefix and returns where the delimited bytes end. */
  delimited(): number {
    const n = this.varint();
    if (this.hi !== 0 || n > this.end - this.pos) fail("length beyond the end of the message");
    return this.pos + n;
  }
  fixed32(): number {
    if (this.end - this.pos < 4) fail("truncated fixed-width field");
    return this.buf.readUInt32LE((this.pos += 4) - 4);
  }
  skip(wire: number, fieldNumber: number, depth: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.fixed32(), this.fixed32();
    else if (wire === 2) this.pos = this.delimited();
    else if (wire === 5) this.fixed32();
    else if (wire !== 3) fail(`unexpected wire type ${wire}`);
    else for (;;) {
      if (depth > MAX_DEPTH) fail("max depth exceeded");
      if (this.pos >= this.end) fail("unterminated group");
      const t = this.tag();
      if ((t & 7) !== 4) this.skip(t & 7, t >>> 3, depth + 1);
      else if (t >>> 3 !== fieldNumber) fail("mismatched end group");
      else return;
    }
  }
}

function longString(lo: number, hi: number, kind: number): string {
  if (kind === SINT64) {
    const negative = lo & 1;
    (lo = ((lo >>> 1) | (hi << 31)) >>> 0), (hi >>>= 1);
    if (negative) (lo = ~lo >>> 0), (hi = ~hi >>> 0);
  }
  if (hi === 0) return String(lo);
  if (hi < 0x200000) return String(hi * 4294967296 + lo); // below 2^53: exact as a number
  const signed = kind === INT64 || kind === SINT64 || kind === SFIXED64;
  if (signed && hi === 0xffffffff) return String(lo - 4294967296);
  const big = (BigInt(hi) << 32n) | BigInt(lo);
  return (signed ? BigInt.asIntN(64, big) : big).toString();
}

function readValue(r: Reader, kind: number, en: EnumInfo | undefined): unknown {
  switch (kind) {
    case INT32: return r.varint() | 0;
    case UINT32: return r.varint();
    case SINT32: { const n = r.varint(); return (n >>> 1) ^ -(n & 1); }
    case BOOL: return r.varint() !== 0 || r.hi !== 0;
    case ENUM: { const n = r.varint() | 0; return en!.names.get(n) ?? n; }
    case INT64: case UINT64: case SINT64: { const lo = r.varint(); return longString(lo, r.hi, kind); }
    case FIXED64: case SFIXED64: { const lo = r.fixed32(); return longString(lo, r.fixed32(), kind); }
    case FIXED32: return r.fixed32();
    case SFIXED32: return r.fixed32() | 0;
    case FLOAT: { const p = r.pos; r.fixed32(); return r.buf.readFloatLE(p); }
    case DOUBLE: { const p = r.pos; r.fixed32(); r.fixed32(); return r.buf.readDoubleLE(p); }
  }
  const end = r.delimited(), start = r.pos;
  r.pos = end;
  if (kind === BYTES) return start === end ? EMPTY : r.buf.subarray(start, end); // a view, as protobufjs gives
  const s = r.buf.toString("utf8", start, end);
  // Invalid UTF-8 always shows up as U+FFFD; protobufjs rejects it, and so does proto3.
  if (s.includes("\uFFFD") && !isUtf8(r.buf.subarray(start, end))) fail("invalid UTF-8 in a string field");
  return s;
}

const wrongWire = (t: MessageType, f: Field, wire: number) => fail(`${t.name}.${f.name}: wire type ${wire}, expected ${f.map ? 2 : f.wire}`);

function decodeMessage(t: MessageType, r: Reader, end: number, obj: Obj, depth: number): void {
  if (depth > MAX_DEPTH) fail("max depth exceeded");
  const outer = r.end;
  r.end = end;
  while (r.pos < end) {
    const tag = r.tag(), id = tag >>> 3, wire = tag & 7, f = t.byId[id];
    if (f === undefined) r.skip(wire, id, depth);
    else if (f.map) {
      if (wire !== 2) wrongWire(t, f, wire);
      decodeEntry(t, f, r, obj[f.name] as Obj, depth);
    } else if (f.repeated) {
      const list = obj[f.name] as unknown[];
      if (wire === 2 && f.wire !== 2) {
        // Numeric lists decode packed or not, whatever the field declares.
        r.end = r.delimited();
        while (r.pos < r.end) list.push(readValue(r, f.kind, f.en));
        r.end = end;
      } else if (wire !== f.wire) wrongWire(t, f, wire);
      else if (f.kind !== MESSAGE) list.push(readValue(r, f.kind, f.en));
      else {
        const sub = newObject(msgOf(f));
        decodeMessage(msgOf(f), r, r.delimited(), sub, depth + 1);
        list.push(sub);
      }
    } else {
      if (wire !== f.wire) wrongWire(t, f, wire);
      if (f.kind !== MESSAGE) obj[f.name] = readValue(r, f.kind, f.en);
      else {
        // A message field seen twice merges, as protobuf specifies.
        const sub = (obj[f.name] as Obj | null | undefined) ?? newObject(msgOf(f));
        decodeMessage(msgOf(f), r, r.delimited(), sub, depth + 1);
        obj[f.name] = sub;
      }
      if (f.presence) {
        for (const other of f.siblings) if (other in obj) delete obj[other];
        if (f.oneof !== undefined) obj[f.oneof] = f.name;
      }
    }
  }
  r.end = outer;
}

function decodeEntry(t: MessageType, f: Field, r: Reader, map: Obj, depth: number): void {
  const end = r.delimited(), outer = r.end;
  r.end = end;
  let key: unknown = ZERO[f.keyKind], value: unknown;
  while (r.pos < end) {
    const tag = r.tag(), id = tag >>> 3, wire = tag & 7;
    if (id === 1) {
      if (wire !== WIRE[f.keyKind]) fail(`${t.name}.${f.name}: map key with wire type ${wire}`);
      key = readValue(r, f.keyKind, undefined);
    } else if (id !== 2) r.skip(wire, id, depth);
    else if (wire !== f.wire) wrongWire(t, f, wire);
    else if (f.kind !== MESSAGE) value = readValue(r, f.kind, f.en);
    else decodeMessage(msgOf(f), r, r.delimited(), (value ??= newObject(msgOf(f))) as Obj, depth + 1);
  }
  r.end = outer;
  // A missing value is the zero value; for messages, an empty message with every default.
  value ??= f.kind === MESSAGE ? newObject(msgOf(f)) : f.zero;
  const k = String(key);
  if (k === "__proto__") Object.defineProperty(map, k, { value, enumerable: true, writable: true, configurable: true });
  else map[k] = value;
}

class Writer {
  buf = Buffer.allocUnsafe(4096);
  pos = 0;
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.buf = Buffer.concat([this.buf.subarray(0, this.pos)], Math.max(this.buf.length * 2, this.pos + n));
  }
  varint(n: number): void {
    this.ensure(5);
    for (; n > 127; n >>>= 7) this.buf[this.pos++] = (n & 127) | 128;
    this.buf[this.pos++] = n;
  }
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    for (; hi !== 0 || lo > 127; lo = ((lo >>> 7) | (hi << 25)) >>> 0, hi >>>= 7) this.buf[this.pos++] = (lo & 127) | 128;
    this.buf[this.pos++] = lo;
  }
  fixed32(n: number): void {
    this.ensure(4);
    this.pos = this.buf.writeUInt32LE(n >>> 0, this.pos);
  }
  /** Reserves one byte for a length, which ldelim fills in (moving the contents if it needs more). */
  fork(): number {
    this.ensure(1);
    return this.pos++;
  }
  ldelim(at: number): void {
    const len = this.pos - at - 1;
    if (len < 128) return void (this.buf[at] = len);
    const extra = len < 1 << 14 ? 1 : len < 1 << 21 ? 2 : len < 1 << 28 ? 3 : 4, end = this.pos + extra;
    this.ensure(extra);
    this.buf.copyWithin(at + 1 + extra, at + 1, this.pos);
    this.pos = at;
    this.varint(len);
    this.pos = end;
  }
  string(s: string): void {
    const n = s.length;
    if (n >= 43) {
      const len = Buffer.byteLength(s);
      this.varint(len);
      this.ensure(len);
      return void (this.pos += this.buf.write(s, this.pos, len));
    }
    // At most 3 bytes per UTF-16 unit, so the length fits in one byte; ASCII is copied without a native call.
    this.ensure(1 + 3 * n);
    const buf = this.buf, at = this.pos;
    let i = 0;
    for (let c = 0; i < n && (c = s.charCodeAt(i)) < 128; i++) buf[at + 1 + i] = c;
    const len = i === n ? n : buf.write(s, at + 1);
    buf[at] = len;
    this.pos = at + 1 + len;
  }
  bytes(b: ArrayLike<number>): void {
    const n = b.length >>> 0;
    this.varint(n);
    this.ensure(n);
    this.buf.set(b, this.pos);
    this.pos += n;
  }
}

// The 64-bit value being encoded, as halves, so that no object is allocated per field.
let LO = 0, HI = 0;
function setBig(b: bigint): void {
  const u = BigInt.asUintN(64, b);
  (LO = Number(u & 0xffffffffn)), (HI = Number(u >> 32n));
}
function parseLong(s: string): bigint {
  try {
    return BigInt(s);
  } catch {
    const n = parseInt(s, 10); // as Long.fromString, which reads "1.5" as 1 and "abc" as 0
    return Number.isFinite(n) ? BigInt(n) : 0n;
  }
}
// Takes what protobufjs's Long.fromValue takes: numbers (truncated, saturating), strings, bigints, {low, high}.
function setLong(v: unknown, unsigned: boolean): void {
  if (typeof v === "number") {
    if (v >= 0 && v <= 0xffffffff && Number.isInteger(v)) (LO = v), (HI = 0);
    else if (!(v === v) || (unsigned && v < 0)) LO = HI = 0;
    else if (v >= (unsigned ? 2 ** 64 : 2 ** 63)) (LO = 0xffffffff), (HI = unsigned ? 0xffffffff : 0x7fffffff);
    else if (!unsigned && v <= -(2 ** 63)) (LO = 0), (HI = 0x80000000);
    else setBig(BigInt(Math.trunc(v)));
  } else if (typeof v === "string") setBig(v === "0" ? 0n : parseLong(v));
  else if (typeof v === "bigint") setBig(v);
  else if (v !== null && typeof v === "object") (LO = (v as { low: number }).low >>> 0), (HI = (v as { high: number }).high >>> 0);
  else LO = HI = 0;
}

/**
 * Writes a value with its tag (none inside a packed list: tag < 0), converted the way protobufjs's
 * fromObject converts it. A zero value is skipped unless `always`; returns whether anything was written.
 */
function writeValue(w: Writer, kind: number, en: EnumInfo | undefined, v: unknown, tag: number, always: boolean): boolean {
  if (kind === STRING || kind === BYTES) {
    const d = kind === STRING ? (typeof v === "string" ? v : String(v)) : typeof v === "string" ? Buffer.from(v, "base64") : (v as ArrayLike<number>);
    if (!(d != null && d.length >= 0) || (!always && d.length === 0)) return false;
    if (tag >= 0) w.varint(tag);
    if (typeof d === "string") w.string(d);
    else w.bytes(d);
    return true;
  }
  let n = 0;
  if (kind >= INT64 && kind <= SFIXED64) {
    setLong(v, kind === UINT64 || kind === FIXED64);
    if (!always && LO === 0 && HI === 0) return false;
  } else {
    if (kind === ENUM) {
      // Names and int32 numbers; protobufjs drops anything else without a word.
      const e = typeof v === "string" ? en!.numbers.get(v) : typeof v === "number" && (v | 0) === v ? v : undefined;
      if (e === undefined || (!always && e === en!.first)) return false;
      n = e;
    } else {
      n = kind === DOUBLE || kind === FLOAT ? Number(v) : kind === BOOL ? (v ? 1 : 0) : kind === UINT32 || kind === FIXED32 ? (v as number) >>> 0 : (v as number) | 0;
      if (!always && Object.is(n, 0)) return false; // -0.0 is written, as protobufjs does
    }
  }
  if (tag >= 0) w.varint(tag);
  switch (kind) {
    case DOUBLE: case FLOAT: w.ensure(8); w.pos = kind === DOUBLE ? w.buf.writeDoubleLE(n, w.pos) : w.buf.writeFloatLE(n, w.pos); break;
    case FIXED32: case SFIXED32: w.fixed32(n); break;
    case SINT32: w.varint(((n << 1) ^ (n >> 31)) >>> 0); break;
    case SINT64: { const sign = HI >> 31; w.varint64(((LO << 1) ^ sign) >>> 0, (((HI << 1) | (LO >>> 31)) ^ sign) >>> 0); break; }
    case FIXED64: case SFIXED64: w.fixed32(LO), w.fixed32(HI); break;
    case INT64: case UINT64: w.varint64(LO, HI); break;
    default: if (n < 0) w.varint64(n >>> 0, 0xffffffff); // a negative int32 or enum is sign-extended to 10 bytes
      else w.varint(n);
  }
  return true;
}

function writeMessage(w: Writer, t: MessageType, f: Field, v: unknown, tag: number, depth: number): void {
  if (v === null || typeof v !== "object") throw new TypeError(`${t.name}.${f.name}: object expected`);
  w.varint(tag);
  const at = w.fork();
  encodeMessage(msgOf(f), v as Obj, w, depth + 1);
  w.ldelim(at);
}

function encodeMessage(t: MessageType, obj: Obj, w: Writer, depth: number): void {
  if (depth > MAX_DEPTH) fail("max depth exceeded");
  for (const f of t.fields) {
    const v = obj[f.name];
    if (v == null || ((f.map || f.repeated) && !v)) continue;
    if (f.map) {
      if (typeof v !== "object") throw new TypeError(`${t.name}.${f.name}: object expected`);
      for (const k of Object.keys(v)) {
        w.varint(f.tag);
        const at = w.fork(), value = (v as Obj)[k];
        writeValue(w, f.keyKind, undefined, f.keyKind === BOOL ? k === "true" : k, 8 | WIRE[f.keyKind]!, true);
        if (f.kind === MESSAGE) writeMessage(w, t, f, value, 18, depth);
        // protobufjs writes an unconvertible value (an unknown enum name, say) as the zero value
        else if (!writeValue(w, f.kind, f.en, value, 16 | f.wire, true)) writeValue(w, f.kind, f.en, f.en ? f.en.first : f.zero, 16 | f.wire, true);
        w.ldelim(at);
      }
    } else if (f.repeated) {
      if (!Array.isArray(v)) throw new TypeError(`${t.name}.${f.name}: array expected`);
      if (v.length === 0) continue;
      if (f.kind === MESSAGE) for (const item of v) writeMessage(w, t, f, item, f.tag, depth);
      else if (!f.packed) for (const item of v) writeValue(w, f.kind, f.en, item, f.tag, true);
      else {
        const start = w.pos;
        w.varint(f.tag);
        const at = w.fork();
        let written = false;
        for (const item of v) written = writeValue(w, f.kind, f.en, item, -1, true) || written;
        if (written) w.ldelim(at);
        else w.pos = start; // nothing but unknown enum names, which protobufjs drops
      }
    } else if (f.kind === MESSAGE) writeMessage(w, t, f, v, f.tag, depth);
    else writeValue(w, f.kind, f.en, v, f.tag, f.presence);
  }
}

// One writer serves every call; a call made while it is busy (from a getter, say) gets a new one.
let spare: Writer | undefined;
const codecs = new Map<string, MessageCodec>();

export function messageCodec<T extends object = object>(fullName: string): MessageCodec<T> {
  let codec = codecs.get(fullName);
  if (codec) return codec as MessageCodec<T>;
  if (!node(fullName)?.fields) throw new Error(`protobuf: no message type ${fullName}`);
  let t: MessageType | undefined;
  codec = {
    encode(message: object, reserve = 0): Buffer {
      t ??= messageType(fullName);
      if (message === null || typeof message !== "object") throw new TypeError(`${fullName}: object expected`);
      const w = spare ?? new Writer();
      spare = undefined;
      try {
        encodeMessage(t, message as Obj, w, 0);
        const out = Buffer.allocUnsafe(reserve + w.pos);
        w.buf.copy(out, reserve, 0, w.pos);
        return out;
      } finally {
        w.pos = 0;
        if (w.buf.length <= 1 << 20) spare = w;
      }
    },
    decode(bytes: Uint8Array): object {
      t ??= messageType(fullName);
      if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fullName}: bytes expected`);
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const obj = newObject(t);
      decodeMessage(t, new Reader(buf), buf.length, obj, 0);
      return obj;
    },
  };
  codecs.set(fullName, codec);
  return codec as MessageCodec<T>;
}

export function serviceMethods(serviceFullName: string): MethodDescriptor[] {
  const methods = node(serviceFullName)?.methods;
  if (!methods) throw new Error(`protobuf: no service ${serviceFullName}`);
  return Object.entries(methods).map(([name, m]) => ({
    name,
    path: `/${serviceFullName}/${name}`,
    requestStream: Boolean(m.requestStream),
    responseStream: Boolean(m.responseStream),
    request: messageCodec(resolve(m.requestType, serviceFullName)),
    response: messageCodec(resolve(m.responseType, serviceFullName)),
  }));
}
