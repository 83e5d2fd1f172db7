/**
 * Decoding: a Reader over the wire format, and the message decoder that fills objects shaped as
 * protobufjs's toObject makes them (see protobuf-codec.ts).
 */
import { isUtf8 } from "node:buffer";
import type { EnumInfo, Field, MessageType, Obj } from "./protobuf-descriptor.ts";
import { fieldMessage, newObject } from "./protobuf-descriptor.ts";
import { longToString } from "./protobuf-long.ts";
import {
  BOOL,
  BYTES,
  DELIMITED,
  DOUBLE,
  EMPTY_BYTES,
  END_GROUP,
  ENUM,
  FIXED_32,
  FIXED_64,
  FIXED32,
  FIXED64,
  FLOAT,
  INT32,
  INT64,
  MAX_DEPTH,
  MESSAGE,
  SFIXED32,
  SFIXED64,
  SINT32,
  SINT64,
  START_GROUP,
  UINT32,
  UINT64,
  VARINT,
  WIRE_TYPE,
  ZERO_VALUE,
  protobufError,
} from "./protobuf-wire.ts";

export class Reader {
  pos = 0;
  /**
   * The high 32 bits of the last varint read. An instance field rather than a returned pair:
   * nearly every varint is a tag or a length, which must fit in 32 bits.
   */
  hi = 0;

  constructor(
    readonly buf: Buffer,
    /** Where the message being read ends; narrowed while a nested message is read. */
    public end = buf.length,
  ) {}

  /** Reads a varint and returns its low 32 bits, unsigned; its high 32 bits go to `hi`. */
  varint(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    // The common case: one byte.
    if (pos < end && buf[pos]! < 128) {
      this.hi = 0;
      this.pos = pos + 1;
      return buf[pos]!;
    }
    let lo = 0;
    let hi = 0;
    for (let i = 0, b = 128; b >= 128; i++) {
      if (pos >= end) throw protobufError("truncated varint");
      if (i === 10) throw protobufError("varint longer than 10 bytes");
      b = buf[pos++]!;
      const bits = b & 127;
      if (i < 4) {
        lo |= bits << (7 * i);
      } else if (i === 4) {
        // The fifth byte straddles the halves.
        lo |= bits << 28;
        hi = bits >> 4;
      } else {
        // Bits beyond 64 are dropped, as protobufjs does.
        hi |= bits << (7 * i - 32);
      }
    }
    this.pos = pos;
    this.hi = hi >>> 0;
    return lo >>> 0;
  }

  tag(): number {
    const start = this.pos;
    const tag = this.varint();
    if (this.hi !== 0 || this.pos - start > 5) throw protobufError("invalid tag");
    if (tag >>> 3 === 0) throw protobufError("field number 0");
    return tag;
  }

  /** Reads a length prefix and returns where the delimited bytes end. */
  delimited(): number {
    const length = this.varint();
    if (this.hi !== 0 || length > this.end - this.pos) {
      throw protobufError("length beyond the end of the message");
    }
    return this.pos + length;
  }

  /** Moves past `n` bytes of a fixed-width value and returns where they start. */
  fixed(n: number): number {
    if (this.end - this.pos < n) throw protobufError("truncated fixed-width field");
    const start = this.pos;
    this.pos += n;
    return start;
  }

  fixed32(): number {
    return this.buf.readUInt32LE(this.fixed(4));
  }

  skip(wire: number, fieldNumber: number, depth: number): void {
    switch (wire) {
      case VARINT:
        this.varint();
        return;
      case FIXED_64:
        this.fixed(8);
        return;
      case DELIMITED:
        this.pos = this.delimited();
        return;
      case FIXED_32:
        this.fixed(4);
        return;
      case START_GROUP:
        this.skipGroup(fieldNumber, depth);
        return;
      default:
        throw protobufError(`unexpected wire type ${wire}`);
    }
  }

  /** Skips a (deprecated) group, up to the end-group tag with its field number. */
  private skipGroup(fieldNumber: number, depth: number): void {
    if (depth > MAX_DEPTH) throw protobufError("max depth exceeded");
    for (;;) {
      if (this.pos >= this.end) throw protobufError("unterminated group");
      const tag = this.tag();
      const wire = tag & 7;
      if (wire !== END_GROUP) this.skip(wire, tag >>> 3, depth + 1);
      else if (tag >>> 3 !== fieldNumber) throw protobufError("mismatched end group");
      else return;
    }
  }
}

/** Reads a message's fields up to `end` into `obj`, which newObject made. */
export function decodeMessage(t: MessageType, r: Reader, end: number, obj: Obj, depth: number): void {
  if (depth > MAX_DEPTH) throw protobufError("max depth exceeded");
  const outer = r.end;
  r.end = end;
  while (r.pos < end) {
    const tag = r.tag();
    const id = tag >>> 3;
    const wire = tag & 7;
    const f = t.byId[id];
    if (f === undefined) r.skip(wire, id, depth);
    else if (f.map) decodeMapEntry(t, f, r, wire, obj[f.name] as Obj, depth);
    else if (f.repeated) decodeListItems(t, f, r, wire, obj[f.name] as unknown[], depth);
    else decodeSingular(t, f, r, wire, obj, depth);
  }
  r.end = outer;
}

function decodeListItems(t: MessageType, f: Field, r: Reader, wire: number, list: unknown[], depth: number): void {
  if (wire === DELIMITED && f.wire !== DELIMITED) {
    // A packed list of numbers; numeric lists decode packed or not, whatever the field declares.
    const outer = r.end;
    r.end = r.delimited();
    while (r.pos < r.end) list.push(readValue(r, f.kind, f.enumInfo));
    r.end = outer;
  } else if (wire !== f.wire) {
    throw wrongWireType(t, f, wire);
  } else if (f.kind !== MESSAGE) {
    list.push(readValue(r, f.kind, f.enumInfo));
  } else {
    const type = fieldMessage(f);
    const item = newObject(type);
    decodeMessage(type, r, r.delimited(), item, depth + 1);
    list.push(item);
  }
}

function decodeSingular(t: MessageType, f: Field, r: Reader, wire: number, obj: Obj, depth: number): void {
  if (wire !== f.wire) throw wrongWireType(t, f, wire);
  if (f.kind !== MESSAGE) {
    obj[f.name] = readValue(r, f.kind, f.enumInfo);
  } else {
    // A message field seen twice merges, as protobuf specifies.
    const type = fieldMessage(f);
    const value = (obj[f.name] as Obj | null | undefined) ?? newObject(type);
    decodeMessage(type, r, r.delimited(), value, depth + 1);
    obj[f.name] = value;
  }
  if (f.presence) {
    // The last oneof member on the wire wins.
    for (const other of f.siblings) {
      if (other in obj) delete obj[other];
    }
    if (f.oneof !== undefined) obj[f.oneof] = f.name;
  }
}

function decodeMapEntry(t: MessageType, f: Field, r: Reader, wire: number, map: Obj, depth: number): void {
  if (wire !== DELIMITED) throw wrongWireType(t, f, wire);
  const end = r.delimited();
  const outer = r.end;
  r.end = end;
  let key: unknown = ZERO_VALUE[f.keyKind];
  let value: unknown;
  while (r.pos < end) {
    const tag = r.tag();
    const id = tag >>> 3;
    const entryWire = tag & 7;
    if (id === 1) {
      if (entryWire !== WIRE_TYPE[f.keyKind]) {
        throw protobufError(`${t.name}.${f.name}: map key with wire type ${entryWire}`);
      }
      key = readValue(r, f.keyKind, undefined);
    } else if (id !== 2) {
      r.skip(entryWire, id, depth);
    } else if (entryWire !== f.wire) {
      throw wrongWireType(t, f, entryWire);
    } else if (f.kind !== MESSAGE) {
      value = readValue(r, f.kind, f.enumInfo);
    } else {
      const type = fieldMessage(f);
      value ??= newObject(type);
      decodeMessage(type, r, r.delimited(), value as Obj, depth + 1);
    }
  }
  r.end = outer;
  // A missing value is the zero value; for messages, an empty message with every default.
  value ??= f.kind === MESSAGE ? newObject(fieldMessage(f)) : f.zero;
  const k = String(key);
  // Assigning "__proto__" would set the prototype; define it as a plain key instead.
  if (k === "__proto__") {
    Object.defineProperty(map, k, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[k] = value;
  }
}

function readValue(r: Reader, kind: number, enumInfo: EnumInfo | undefined): unknown {
  switch (kind) {
    case INT32:
      return r.varint() | 0;
    case UINT32:
      return r.varint();
    case SINT32: {
      const n = r.varint();
      return (n >>> 1) ^ -(n & 1);
    }
    case BOOL:
      return r.varint() !== 0 || r.hi !== 0;
    case ENUM: {
      // An unknown number stays a number, as protobufjs keeps it.
      const n = r.varint() | 0;
      return enumInfo!.names.get(n) ?? n;
    }
    case INT64:
    case UINT64:
    case SINT64: {
      const lo = r.varint();
      return longToString(lo, r.hi, kind);
    }
    case FIXED64:
    case SFIXED64: {
      const at = r.fixed(8);
      return longToString(r.buf.readUInt32LE(at), r.buf.readUInt32LE(at + 4), kind);
    }
    case FIXED32:
      return r.fixed32();
    case SFIXED32:
      return r.fixed32() | 0;
    case FLOAT:
      return r.buf.readFloatLE(r.fixed(4));
    case DOUBLE:
      return r.buf.readDoubleLE(r.fixed(8));
    case BYTES: {
      const end = r.delimited();
      const start = r.pos;
      r.pos = end;
      // A view, as protobufjs gives.
      return start === end ? EMPTY_BYTES : r.buf.subarray(start, end);
    }
    default:
      return readString(r);
  }
}

function readString(r: Reader): string {
  const end = r.delimited();
  const start = r.pos;
  r.pos = end;
  const s = r.buf.toString("utf8", start, end);
  // Invalid UTF-8 always shows up as U+FFFD; protobufjs rejects it, and so does proto3.
  if (s.includes("\uFFFD") && !isUtf8(r.buf.subarray(start, end))) {
    throw protobufError("invalid UTF-8 in a string field");
  }
  return s;
}

function wrongWireType(t: MessageType, f: Field, wire: number): Error {
  return protobufError(`${t.name}.${f.name}: wire type ${wire}, expected ${f.map ? DELIMITED : f.wire}`);
}
