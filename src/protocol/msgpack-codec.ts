/**
 * msgpack DynamicValue codec, compatible with go-cty's cty/msgpack package.
 *
 * Hand-written rather than built on @msgpack/msgpack. That library can read everything on this
 * wire (maps with integer keys, extensions handed over as raw bytes); what it cannot do is
 * decode by type. The same msgpack bytes mean different things depending on the schema type:
 * an array is a list, a set or a tuple, a str under `number` is a number written as decimal
 * text, and a `dynamic` attribute is a [type JSON, value] pair whose second half can only be read
 * once the first is. A generic decoder builds a plain object tree that would then be walked a
 * second time against the type; this one reads straight into `Value` with the type in hand, in
 * one pass (it runs on every RPC) and with the attribute path in every error.
 *
 * The other reason is exact numbers. Terraform numbers are arbitrary-precision. The library
 * reads a 64-bit integer either as a float (rounding it beyond 2^53) or, with `useBigInt64`,
 * always as a bigint; here an integer is a number while that is exact and a bigint only beyond,
 * decimal text keeps all its digits, and the encoder picks go-cty's form (int, float64, or
 * decimal text past 64 bits) from the value rather than from its JavaScript type.
 */
import type { CtyType } from "../values/cty-type.ts";
import { MAX_SAFE, isDecimalText, numberFromText } from "../values/decimal-number.ts";
import { objectInfo, parseTypeJson, typeToJson } from "../values/type-json.ts";
import { MAX_VALUE_DEPTH, ValueDecodeError, ValueEncodeError, attrStep, keyStep, withStep } from "../values/value-errors.ts";
import { NULL, impliedType, withDynamicType, type KnownPayload, type NumberPayload, type Refinement, type UnknownValue, type Value } from "../values/value.ts";

// ---------------------------------------------------------------------------------------------
// Decoding

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function decodeMsgpack(bytes: Uint8Array, type: CtyType): Value {
  const r = new Reader(bytes);
  const v = r.value(type, 0);
  if (r.pos !== bytes.length) throw new ValueDecodeError(`${bytes.length - r.pos} unexpected bytes after the value`);
  return v;
}

function describeByte(b: number): string {
  if (b <= 0x7f || b >= 0xe0) return "integer";
  if (b <= 0x8f) return "map";
  if (b <= 0x9f) return "array";
  if (b <= 0xbf) return "string";
  switch (b) {
    case 0xc0:
      return "nil";
    case 0xc2:
    case 0xc3:
      return "bool";
    case 0xc4:
    case 0xc5:
    case 0xc6:
      return "binary";
    case 0xca:
    case 0xcb:
      return "float";
    case 0xd9:
    case 0xda:
    case 0xdb:
      return "string";
    case 0xdc:
    case 0xdd:
      return "array";
    case 0xde:
    case 0xdf:
      return "map";
    case 0xc1:
      return "reserved byte 0xc1";
  }
  if (b >= 0xcc && b <= 0xd3) return "integer";
  return "extension";
}

function isExt(b: number): boolean {
  return (b >= 0xd4 && b <= 0xd8) || (b >= 0xc7 && b <= 0xc9);
}

class Reader {
  pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new ValueDecodeError("unexpected end of input");
  }

  private peek(): number {
    if (this.pos >= this.buf.length) throw new ValueDecodeError("unexpected end of input");
    return this.buf[this.pos]!;
  }

  private mismatch(expected: string, b: number): ValueDecodeError {
    return new ValueDecodeError(`expected ${expected}, got ${describeByte(b)}`);
  }

  value(type: CtyType, depth: number): Value {
    if (depth > MAX_VALUE_DEPTH) throw new ValueDecodeError(`value nested more than ${MAX_VALUE_DEPTH} levels deep`);
    const b = this.peek();
    // go-cty treats every extension as an unknown, whatever the type.
    if (isExt(b)) return this.unknown();
    if (type === "dynamic") return this.dynamic(depth);
    if (b === 0xc0) {
      this.pos++;
      return NULL;
    }
    switch (type) {
      case "string":
        return { kind: "known", value: this.string("string") };
      case "number":
        return { kind: "known", value: this.number() };
      case "bool":
        if (b === 0xc2 || b === 0xc3) {
          this.pos++;
          return { kind: "known", value: b === 0xc3 };
        }
        throw this.mismatch("bool", b);
    }
    switch (type[0]) {
      case "list":
      case "set":
        return { kind: "known", value: this.sequence(type[0], type[1], depth) };
      case "tuple":
        return { kind: "known", value: this.tuple(type[1], depth) };
      case "map":
        return { kind: "known", value: this.map(type[1], depth) };
      case "object":
        return { kind: "known", value: this.object(type, depth) };
    }
  }

  private dynamic(depth: number): Value {
    const b = this.buf[this.pos]!;
    if (b === 0xc0) {
      this.pos++;
      return NULL;
    }
    const n = this.arrayLen("dynamic value [type, value]", b);
    if (n !== 2) throw new ValueDecodeError(`a dynamic value must be a [type, value] array of 2 elements, got ${n}`);
    const type = parseTypeJson(this.string("dynamic type JSON"));
    return withDynamicType(this.value(type, depth + 1), type);
  }

  private sequence(what: string, element: CtyType, depth: number): Value[] {
    const n = this.arrayLen(what, this.buf[this.pos]!);
    const out = new Array<Value>(n);
    let i = 0;
    try {
      for (; i < n; i++) out[i] = this.value(element, depth + 1);
    } catch (e) {
      throw withStep(e, `[${i}]`);
    }
    return out;
  }

  private tuple(elements: readonly CtyType[], depth: number): Value[] {
    const n = this.arrayLen("tuple", this.buf[this.pos]!);
    if (n !== elements.length) throw new ValueDecodeError(`a tuple of ${elements.length} elements is required, got ${n}`);
    const out = new Array<Value>(n);
    let i = 0;
    try {
      for (; i < n; i++) out[i] = this.value(elements[i]!, depth + 1);
    } catch (e) {
      throw withStep(e, `[${i}]`);
    }
    return out;
  }

  private map(element: CtyType, depth: number): Map<string, Value> {
    const n = this.mapLen("map", this.buf[this.pos]!);
    const out = new Map<string, Value>();
    for (let i = 0; i < n; i++) {
      const key = this.string("string map key");
      try {
        out.set(key, this.value(element, depth + 1));
      } catch (e) {
        throw withStep(e, keyStep(key));
      }
    }
    return out;
  }

  private object(type: readonly ["object", Readonly<Record<string, CtyType>>, ...unknown[]], depth: number): Map<string, Value> {
    const info = objectInfo(type);
    const n = this.mapLen("object", this.buf[this.pos]!);
    const out = new Map<string, Value>();
    for (let i = 0; i < n; i++) {
      const name = this.string("attribute name");
      const attrType = info.types.get(name);
      if (attrType === undefined) {
        throw new ValueDecodeError(`unsupported attribute (the object has ${info.names.length} attributes)`, attrStep(name));
      }
      if (out.has(name)) throw new ValueDecodeError("attribute given twice", attrStep(name));
      try {
        out.set(name, this.value(attrType, depth + 1));
      } catch (e) {
        throw withStep(e, attrStep(name));
      }
    }
    if (out.size !== info.names.length) {
      const missing = info.names.filter((name) => !out.has(name));
      const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : "";
      throw new ValueDecodeError(
        `missing attribute${more}: an object with ${info.names.length} attributes is required (${out.size} given)`,
        attrStep(missing[0]!),
      );
    }
    return out;
  }

  private arrayLen(what: string, b: number): number {
    let n: number;
    if (b >= 0x90 && b <= 0x9f) {
      this.pos++;
      n = b & 0x0f;
    } else if (b === 0xdc) {
      this.need(3);
      n = this.view.getUint16(this.pos + 1);
      this.pos += 3;
    } else if (b === 0xdd) {
      this.need(5);
      n = this.view.getUint32(this.pos + 1);
      this.pos += 5;
    } else throw this.mismatch(what, b);
    // Every element takes at least one byte: refuse lengths the input cannot hold before allocating.
    if (n > this.buf.length - this.pos) throw new ValueDecodeError(`unexpected end of input (${what} claims ${n} elements)`);
    return n;
  }

  private mapLen(what: string, b: number): number {
    let n: number;
    if (b >= 0x80 && b <= 0x8f) {
      this.pos++;
      n = b & 0x0f;
    } else if (b === 0xde) {
      this.need(3);
      n = this.view.getUint16(this.pos + 1);
      this.pos += 3;
    } else if (b === 0xdf) {
      this.need(5);
      n = this.view.getUint32(this.pos + 1);
      this.pos += 5;
    } else throw this.mismatch(what, b);
    if (n * 2 > this.buf.length - this.pos) throw new ValueDecodeError(`unexpected end of input (${what} claims ${n} entries)`);
    return n;
  }

  /** A str (or, as go's msgpack library allows, bin) as validated UTF-8 text. */
  private string(what: string): string {
    const b = this.peek();
    let len: number;
    let start: number;
    if (b >= 0xa0 && b <= 0xbf) {
      len = b & 0x1f;
      start = this.pos + 1;
    } else if (b === 0xd9 || b === 0xc4) {
      this.need(2);
      len = this.buf[this.pos + 1]!;
      start = this.pos + 2;
    } else if (b === 0xda || b === 0xc5) {
      this.need(3);
      len = this.view.getUint16(this.pos + 1);
      start = this.pos + 3;
    } else if (b === 0xdb || b === 0xc6) {
      this.need(5);
      len = this.view.getUint32(this.pos + 1);
      start = this.pos + 5;
    } else throw this.mismatch(what, b);
    const end = start + len;
    if (end > this.buf.length) throw new ValueDecodeError("unexpected end of input");
    this.pos = end;
    const buf = this.buf;
    if (len < 32) {
      // Short ASCII (attribute names, ids) is the common case; skip the TextDecoder call.
      let s = "";
      let i = start;
      for (; i < end; i++) {
        const c = buf[i]!;
        if (c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      if (i === end) return s;
    }
    try {
      return utf8.decode(buf.subarray(start, end));
    } catch {
      throw new ValueDecodeError("string is not valid UTF-8");
    }
  }

  private number(): NumberPayload {
    const b = this.peek();
    const v = this.view;
    const p = this.pos;
    if (b <= 0x7f) {
      this.pos++;
      return b;
    }
    if (b >= 0xe0) {
      this.pos++;
      return b - 0x100;
    }
    switch (b) {
      case 0xcc:
        this.need(2);
        this.pos += 2;
        return this.buf[p + 1]!;
      case 0xcd:
        this.need(3);
        this.pos += 3;
        return v.getUint16(p + 1);
      case 0xce:
        this.need(5);
        this.pos += 5;
        return v.getUint32(p + 1);
      case 0xcf: {
        this.need(9);
        this.pos += 9;
        const n = v.getBigUint64(p + 1);
        return n <= MAX_SAFE ? Number(n) : n;
      }
      case 0xd0:
        this.need(2);
        this.pos += 2;
        return v.getInt8(p + 1);
      case 0xd1:
        this.need(3);
        this.pos += 3;
        return v.getInt16(p + 1);
      case 0xd2:
        this.need(5);
        this.pos += 5;
        return v.getInt32(p + 1);
      case 0xd3: {
        this.need(9);
        this.pos += 9;
        const n = v.getBigInt64(p + 1);
        return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n;
      }
      case 0xca:
      case 0xcb: {
        const size = b === 0xca ? 4 : 8;
        this.need(size + 1);
        this.pos += size + 1;
        const f = b === 0xca ? v.getFloat32(p + 1) : v.getFloat64(p + 1);
        if (Number.isNaN(f)) throw new ValueDecodeError("NaN is not a valid number");
        return f;
      }
    }
    const text = this.string("number");
    const n = numberFromText(text);
    if (n === undefined) throw new ValueDecodeError(`expected number, got string ${JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text)}`);
    return n;
  }

  /** Any extension: an unknown, kept byte-for-byte so it can be echoed. */
  private unknown(): UnknownValue {
    const b = this.buf[this.pos]!;
    const start = this.pos;
    let header: number;
    let len: number;
    switch (b) {
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        header = 2;
        len = 1 << (b - 0xd4);
        break;
      case 0xc7:
        this.need(2);
        header = 3;
        len = this.buf[start + 1]!;
        break;
      case 0xc8:
        this.need(3);
        header = 4;
        len = this.view.getUint16(start + 1);
        break;
      default:
        this.need(5);
        header = 6;
        len = this.view.getUint32(start + 1);
    }
    const end = start + header + len;
    if (end > this.buf.length) throw new ValueDecodeError("unexpected end of input in an unknown value");
    const extType = this.view.getInt8(start + header - 1);
    // slice (a copy), so an unknown does not keep the whole request buffer alive.
    const raw = this.buf.slice(start, end);
    this.pos = end;
    if (extType === 12 && len > 1) {
      const refinement = readRefinement(this.buf.subarray(start + header, end));
      if (refinement !== undefined) return { kind: "unknown", raw, refinement };
    }
    return { kind: "unknown", raw };
  }

  // --- generic reading, for refinement payloads only ---

  /** Reads an integer key, or undefined when the next item is not an integer. */
  readInt(): number | undefined {
    const b = this.peek();
    if (b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3)) {
      const n = this.number();
      return typeof n === "number" ? n : undefined;
    }
    return undefined;
  }

  readBool(): boolean | undefined {
    const b = this.peek();
    if (b !== 0xc2 && b !== 0xc3) return undefined;
    this.pos++;
    return b === 0xc3;
  }

  readString(): string {
    return this.string("string");
  }

  readMapLen(): number {
    return this.mapLen("map", this.peek());
  }

  /** Steps over one item of any kind. */
  skip(depth = 0): void {
    if (depth > MAX_VALUE_DEPTH) throw new ValueDecodeError("nested too deeply");
    const b = this.peek();
    if (isExt(b)) {
      this.unknown();
      return;
    }
    if (b <= 0x7f || b >= 0xe0 || (b >= 0xca && b <= 0xd3)) {
      this.number();
      return;
    }
    if (b === 0xc0 || b === 0xc2 || b === 0xc3) {
      this.pos++;
      return;
    }
    if ((b >= 0x90 && b <= 0x9f) || b === 0xdc || b === 0xdd) {
      const n = this.arrayLen("array", b);
      for (let i = 0; i < n; i++) this.skip(depth + 1);
      return;
    }
    if ((b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf) {
      const n = this.mapLen("map", b);
      for (let i = 0; i < 2 * n; i++) this.skip(depth + 1);
      return;
    }
    this.string("value");
  }
}

/**
 * Reads what matters to the provider from a refinement map (integer keys: 1 nullness, 2 string
 * prefix, 3/4 number bounds, 5/6 length bounds). Best effort: the raw bytes are what is echoed,
 * so an unreadable payload only means less is known.
 */
function readRefinement(payload: Uint8Array): Refinement | undefined {
  const r = new Reader(payload);
  let notNull: boolean | undefined;
  let stringPrefix: string | undefined;
  try {
    const n = r.readMapLen();
    for (let i = 0; i < n; i++) {
      const key = r.readInt();
      if (key === undefined) break;
      if (key === 1) {
        const isNullValue = r.readBool();
        if (isNullValue === undefined) break;
        // go-cty writes false for "definitely not null".
        if (!isNullValue) notNull = true;
      } else if (key === 2) {
        stringPrefix = r.readString();
      } else {
        r.skip();
      }
    }
  } catch {
    // keep whatever was read before the payload stopped making sense
  }
  if (notNull === undefined && stringPrefix === undefined) return undefined;
  const out: { notNull?: boolean; stringPrefix?: string } = {};
  if (notNull !== undefined) out.notNull = notNull;
  if (stringPrefix !== undefined) out.stringPrefix = stringPrefix;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Encoding

const PLAIN_UNKNOWN = [0xd4, 0x00, 0x00] as const;
const MAX_UINT64 = (1n << 64n) - 1n;
const MIN_INT64 = -(1n << 63n);
const utf8Encoder = new TextEncoder();

class Writer {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(b: ArrayLike<number>): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A safe integer in its smallest msgpack form (non-negative ones as uint, like go's encoder). */
  int(n: number): void {
    this.ensure(9);
    const p = this.pos;
    const v = this.view;
    if (n >= 0) {
      if (n <= 0x7f) {
        this.buf[p] = n;
        this.pos += 1;
      } else if (n <= 0xff) {
        this.buf[p] = 0xcc;
        this.buf[p + 1] = n;
        this.pos += 2;
      } else if (n <= 0xffff) {
        this.buf[p] = 0xcd;
        v.setUint16(p + 1, n);
        this.pos += 3;
      } else if (n <= 0xffffffff) {
        this.buf[p] = 0xce;
        v.setUint32(p + 1, n);
        this.pos += 5;
      } else {
        this.buf[p] = 0xcf;
        v.setUint32(p + 1, Math.floor(n / 0x100000000));
        v.setUint32(p + 5, n >>> 0);
        this.pos += 9;
      }
    } else if (n >= -32) {
      this.buf[p] = n & 0xff;
      this.pos += 1;
    } else if (n >= -0x80) {
      this.buf[p] = 0xd0;
      v.setInt8(p + 1, n);
      this.pos += 2;
    } else if (n >= -0x8000) {
      this.buf[p] = 0xd1;
      v.setInt16(p + 1, n);
      this.pos += 3;
    } else if (n >= -0x80000000) {
      this.buf[p] = 0xd2;
      v.setInt32(p + 1, n);
      this.pos += 5;
    } else {
      this.buf[p] = 0xd3;
      v.setBigInt64(p + 1, BigInt(n));
      this.pos += 9;
    }
  }

  float64(f: number): void {
    this.ensure(9);
    this.buf[this.pos] = 0xcb;
    this.view.setFloat64(this.pos + 1, f);
    this.pos += 9;
  }

  private lengthHeader(len: number, fix: number, fixMax: number, c8: number, c16: number, c32: number): void {
    this.ensure(5);
    const p = this.pos;
    if (len <= fixMax && fix >= 0) {
      this.buf[p] = fix | len;
      this.pos += 1;
    } else if (len <= 0xff && c8 >= 0) {
      this.buf[p] = c8;
      this.buf[p + 1] = len;
      this.pos += 2;
    } else if (len <= 0xffff) {
      this.buf[p] = c16;
      this.view.setUint16(p + 1, len);
      this.pos += 3;
    } else {
      this.buf[p] = c32;
      this.view.setUint32(p + 1, len);
      this.pos += 5;
    }
  }

  arrayHeader(n: number): void {
    this.lengthHeader(n, 0x90, 15, -1, 0xdc, 0xdd);
  }

  mapHeader(n: number): void {
    this.lengthHeader(n, 0x80, 15, -1, 0xde, 0xdf);
  }

  string(s: string, bin = false): void {
    const n = s.length;
    if (n < 32) {
      let ascii = true;
      for (let i = 0; i < n; i++) {
        if (s.charCodeAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        if (bin) this.lengthHeader(n, -1, 0, 0xc4, 0xc5, 0xc6);
        else this.lengthHeader(n, 0xa0, 31, 0xd9, 0xda, 0xdb);
        this.ensure(n);
        for (let i = 0; i < n; i++) this.buf[this.pos + i] = s.charCodeAt(i);
        this.pos += n;
        return;
      }
    }
    // Lone surrogates become U+FFFD in both byteLength and encodeInto, so the lengths agree.
    const len = Buffer.byteLength(s, "utf8");
    if (bin) this.lengthHeader(len, -1, 0, 0xc4, 0xc5, 0xc6);
    else this.lengthHeader(len, 0xa0, 31, 0xd9, 0xda, 0xdb);
    this.ensure(len);
    utf8Encoder.encodeInto(s, this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
  }
}

// One scratch writer, reused: encoding is synchronous, so calls never interleave.
let scratch: Writer | undefined;

export function encodeMsgpack(value: Value, type: CtyType): Uint8Array {
  const w = scratch ?? new Writer(4096);
  scratch = undefined;
  w.pos = 0;
  try {
    encodeValue(w, value, type, 0);
    return w.buf.slice(0, w.pos);
  } finally {
    if (w.buf.length <= 1 << 20) scratch = w; // do not pin a huge buffer after a huge value
  }
}

function payloadKind(p: KnownPayload): string {
  if (Array.isArray(p)) return "array";
  if (p instanceof Map) return "map";
  return typeof p;
}

function encodeValue(w: Writer, v: Value, type: CtyType, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw new ValueEncodeError(`value nested more than ${MAX_VALUE_DEPTH} levels deep`);
  if (type === "dynamic") {
    encodeDynamic(w, v, depth);
    return;
  }
  if (v.kind === "unknown") {
    w.bytes(v.raw ?? PLAIN_UNKNOWN);
    return;
  }
  if (v.kind === "null") {
    w.byte(0xc0);
    return;
  }
  const p = v.value;
  switch (type) {
    case "string":
      if (typeof p !== "string") throw new ValueEncodeError(`expected a string, got ${payloadKind(p)}`);
      w.string(p);
      return;
    case "bool":
      if (typeof p !== "boolean") throw new ValueEncodeError(`expected a bool, got ${payloadKind(p)}`);
      w.byte(p ? 0xc3 : 0xc2);
      return;
    case "number":
      encodeNumber(w, p);
      return;
  }
  switch (type[0]) {
    case "list":
    case "set":
    case "tuple": {
      if (!Array.isArray(p)) throw new ValueEncodeError(`expected an array for a ${type[0]}, got ${payloadKind(p)}`);
      const items = p as readonly Value[];
      const tupleTypes = type[0] === "tuple" ? type[1] : undefined;
      if (tupleTypes !== undefined && tupleTypes.length !== items.length) {
        throw new ValueEncodeError(`a tuple of ${tupleTypes.length} elements is required, got ${items.length}`);
      }
      w.arrayHeader(items.length);
      let i = 0;
      try {
        for (; i < items.length; i++) encodeValue(w, items[i]!, tupleTypes ? tupleTypes[i]! : (type[1] as CtyType), depth + 1);
      } catch (e) {
        throw withStep(e, `[${i}]`);
      }
      return;
    }
    case "map": {
      if (!(p instanceof Map)) throw new ValueEncodeError(`expected a Map for a map, got ${payloadKind(p)}`);
      w.mapHeader(p.size);
      for (const [k, item] of p as ReadonlyMap<string, Value>) {
        if (typeof k !== "string") throw new ValueEncodeError("map keys must be strings");
        w.string(k);
        try {
          encodeValue(w, item, type[1], depth + 1);
        } catch (e) {
          throw withStep(e, keyStep(k));
        }
      }
      return;
    }
    case "object": {
      if (!(p instanceof Map)) throw new ValueEncodeError(`expected a Map for an object, got ${payloadKind(p)}`);
      const attrs = p as ReadonlyMap<string, Value>;
      const info = objectInfo(type);
      // A key the type does not have is a bug upstream; Terraform would reject the object anyway.
      for (const k of attrs.keys()) {
        if (!info.types.has(k)) throw new ValueEncodeError("attribute is not in the type", attrStep(k));
      }
      w.mapHeader(info.names.length);
      for (const name of info.names) {
        w.string(name);
        try {
          encodeValue(w, attrs.get(name) ?? NULL, info.types.get(name)!, depth + 1);
        } catch (e) {
          throw withStep(e, attrStep(name));
        }
      }
      return;
    }
  }
}

function encodeDynamic(w: Writer, v: Value, depth: number): void {
  if (v.kind === "unknown") {
    w.bytes(v.raw ?? PLAIN_UNKNOWN);
    return;
  }
  let type = v.dynamicType;
  if (v.kind === "null" && (type === undefined || type === "dynamic")) {
    w.byte(0xc0);
    return;
  }
  if (type === undefined || type === "dynamic") type = impliedType({ kind: "known", value: (v as { value: KnownPayload }).value });
  w.arrayHeader(2);
  // go-cty writes the type JSON as msgpack bin.
  w.string(typeToJson(type), true);
  const inner: Value = v.kind === "null" ? NULL : { kind: "known", value: v.value };
  encodeValue(w, inner, type, depth + 1);
}

function encodeNumber(w: Writer, p: KnownPayload): void {
  switch (typeof p) {
    case "number":
      if (Number.isSafeInteger(p)) w.int(p);
      else if (Number.isNaN(p)) throw new ValueEncodeError("NaN cannot be sent to Terraform");
      else w.float64(p); // includes ±Infinity, which go-cty itself writes as float64
      return;
    case "bigint":
      if (p >= -MAX_SAFE && p <= MAX_SAFE) w.int(Number(p));
      else if (p > 0n && p <= MAX_UINT64) {
        w.ensure(9);
        w.buf[w.pos] = 0xcf;
        w.view.setBigUint64(w.pos + 1, p);
        w.pos += 9;
      } else if (p < 0n && p >= MIN_INT64) {
        w.ensure(9);
        w.buf[w.pos] = 0xd3;
        w.view.setBigInt64(w.pos + 1, p);
        w.pos += 9;
      } else w.string(p.toString()); // beyond 64 bits: decimal text, as go-cty does
      return;
    case "string":
      if (!isDecimalText(p)) throw new ValueEncodeError(`expected a number, got the string ${JSON.stringify(p)}`);
      w.string(p);
      return;
    default:
      throw new ValueEncodeError(`expected a number, got ${payloadKind(p)}`);
  }
}
