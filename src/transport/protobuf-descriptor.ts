/**
 * The generated descriptor (protobufjs's JSON form of proto/) as the codec uses it: names looked
 * up by protobuf's scoping rules, and a table per message type, built the first time it is used
 * so that start-up pays only for the types a run needs.
 */
import descriptor from "../generated/proto-descriptor.json" with { type: "json" };
import { DELIMITED, ENUM, MESSAGE, SCALAR_KIND, WIRE_TYPE, ZERO_VALUE, protobufError } from "./protobuf-wire.ts";

interface FieldJson {
  type: string;
  id: number;
  rule?: string;
  keyType?: string;
  options?: Record<string, unknown>;
}

interface MethodJson {
  requestType: string;
  responseType: string;
  requestStream?: boolean;
  responseStream?: boolean;
}

export interface NodeJson {
  nested?: Record<string, NodeJson>;
  fields?: Record<string, FieldJson>;
  oneofs?: Record<string, { oneof: string[] }>;
  values?: Record<string, number>;
  methods?: Record<string, MethodJson>;
}

export interface EnumInfo {
  names: Map<number, string>;
  numbers: Map<string, number>;
  /** The first value declared, proto3's default. */
  first: number;
}

export interface Field {
  name: string;
  id: number;
  kind: number;
  /** The wire type of one value (of the value, for a map). */
  wire: number;
  /** The tag written before the field: wire type 2 for maps and packed lists. */
  tag: number;
  /** The kind of a map's keys. */
  keyKind: number;
  zero: unknown;
  repeated: boolean;
  map: boolean;
  packed: boolean;
  enumInfo: EnumInfo | undefined;
  /** The full name of a message field's type, whose table is built when the field is first used. */
  messageName: string;
  /** That type's table, once fieldMessage has built it. */
  messageTable: MessageType | undefined;
  /** Oneof members and proto3 `optional` fields: absent unless set, written even when zero. */
  presence: boolean;
  /** Named on decoded objects; protobufjs does not name the synthetic oneof of a proto3 `optional`. */
  oneof: string | undefined;
  /** The other members of the field's oneof, removed from a decoded object when this one is set. */
  siblings: string[];
}

export interface MessageType {
  name: string;
  /** By field number. */
  fields: Field[];
  byId: (Field | undefined)[];
  /** The fields a decoded object starts with, in protobufjs's key order. */
  initial: Field[];
}

export type Obj = Record<string, unknown>;

/** The descriptor node of a fully qualified name, if there is one. */
export function lookup(fullName: string): NodeJson | undefined {
  let node = descriptor as unknown as NodeJson;
  for (const part of fullName.split(".")) {
    const next = node.nested && Object.hasOwn(node.nested, part) ? node.nested[part] : undefined;
    if (!next) return undefined;
    node = next;
  }
  return node;
}

/** Protobuf scoping: a relative name is looked up in the innermost enclosing scope first, then outward. */
export function resolveName(name: string, scope: string): string {
  if (name.startsWith(".")) return name.slice(1);
  for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf(".")))) {
    const full = s ? `${s}.${name}` : name;
    if (lookup(full)) return full;
    if (!s) throw protobufError(`cannot resolve ${name} from ${scope}`);
  }
}

const tables = new Map<string, MessageType>();

export function messageType(fullName: string): MessageType {
  const cached = tables.get(fullName);
  if (cached) return cached;
  const node = lookup(fullName);
  if (!node?.fields) throw protobufError(`no message type ${fullName}`);
  // Each oneof member's oneof, as [oneof name, ...its members].
  const oneofOf = new Map<string, string[]>();
  for (const [name, o] of Object.entries(node.oneofs ?? {})) {
    for (const member of o.oneof) oneofOf.set(member, [name, ...o.oneof]);
  }
  const fields = Object.entries(node.fields).map(([name, f]) => buildField(name, f, fullName, oneofOf.get(name)));
  fields.sort((a, b) => a.id - b.id);
  const byId: (Field | undefined)[] = [];
  for (const f of fields) byId[f.id] = f;
  // protobufjs's key order: lists, maps, then the other fields without presence, each by number.
  const initial = [...fields.filter((f) => f.repeated), ...fields.filter((f) => f.map), ...fields.filter((f) => !f.repeated && !f.map && !f.presence)];
  const table = { name: fullName, fields, byId, initial };
  tables.set(fullName, table);
  return table;
}

function buildField(name: string, f: FieldJson, scope: string, oneof: string[] | undefined): Field {
  let kind = SCALAR_KIND.get(f.type);
  let enumInfo: EnumInfo | undefined;
  let messageName = "";
  let zero: unknown;
  if (kind !== undefined) {
    zero = ZERO_VALUE[kind];
  } else {
    const typeName = resolveName(f.type, scope);
    const values = lookup(typeName)!.values;
    if (values) {
      kind = ENUM;
      enumInfo = buildEnum(values);
      zero = enumInfo.names.get(enumInfo.first);
    } else {
      kind = MESSAGE;
      messageName = typeName;
      zero = null;
    }
  }
  const map = f.keyType !== undefined;
  const repeated = f.rule === "repeated";
  const wire = WIRE_TYPE[kind]!;
  // Lists of numbers are packed unless declared otherwise, proto3's default.
  const packed = repeated && wire !== DELIMITED && f.options?.packed !== false;
  const synthetic = oneof?.length === 2 && f.options?.proto3_optional === true;
  return {
    name,
    id: f.id,
    kind,
    wire,
    tag: ((f.id << 3) | (map || packed ? DELIMITED : wire)) >>> 0,
    keyKind: map ? SCALAR_KIND.get(f.keyType!)! : 0,
    zero,
    repeated,
    map,
    packed,
    enumInfo,
    messageName,
    messageTable: undefined,
    presence: oneof !== undefined,
    oneof: synthetic ? undefined : oneof?.[0],
    siblings: oneof?.slice(1).filter((member) => member !== name) ?? [],
  };
}

function buildEnum(values: Record<string, number>): EnumInfo {
  const entries = Object.entries(values);
  return {
    names: new Map(entries.map(([name, number]) => [number, name])),
    numbers: new Map(entries),
    first: entries[0]?.[1] ?? 0,
  };
}

/** The table of a message field's type; built on first use, since message types refer to each other. */
export function fieldMessage(f: Field): MessageType {
  f.messageTable ??= messageType(f.messageName);
  return f.messageTable;
}

/** A decoded object before any field is read: every list, map and default, as protobufjs gives. */
export function newObject(t: MessageType): Obj {
  const o: Obj = {};
  for (const f of t.initial) o[f.name] = f.repeated ? [] : f.map ? {} : f.zero;
  return o;
}
