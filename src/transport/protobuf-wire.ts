/**
 * Proto3 wire-format vocabulary shared by the descriptor tables, the reader and the writer:
 * wire types, the kinds of field value with their wire type and zero value, and the errors.
 */

// Wire types, the low 3 bits of a tag.
export const VARINT = 0;
export const FIXED_64 = 1;
export const DELIMITED = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const FIXED_32 = 5;

// Kinds of field value: the scalar types in the order of SCALAR_TYPES, then enums and messages.
export const DOUBLE = 0;
export const FLOAT = 1;
export const INT32 = 2;
export const UINT32 = 3;
export const SINT32 = 4;
export const FIXED32 = 5;
export const SFIXED32 = 6;
export const INT64 = 7;
export const UINT64 = 8;
export const SINT64 = 9;
export const FIXED64 = 10;
export const SFIXED64 = 11;
export const BOOL = 12;
export const STRING = 13;
export const BYTES = 14;
export const ENUM = 15;
export const MESSAGE = 16;

const SCALAR_TYPES = [
  "double",
  "float",
  "int32",
  "uint32",
  "sint32",
  "fixed32",
  "sfixed32",
  "int64",
  "uint64",
  "sint64",
  "fixed64",
  "sfixed64",
  "bool",
  "string",
  "bytes",
];
/** The kind of each scalar type name of the descriptor. */
export const SCALAR_KIND = new Map(SCALAR_TYPES.map((name, kind) => [name, kind]));

/** The wire type of each kind. */
export const WIRE_TYPE = [
  FIXED_64,
  FIXED_32,
  VARINT,
  VARINT,
  VARINT,
  FIXED_32,
  FIXED_32,
  VARINT,
  VARINT,
  VARINT,
  FIXED_64,
  FIXED_64,
  VARINT,
  DELIMITED,
  DELIMITED,
  VARINT,
  DELIMITED,
];

export const EMPTY_BYTES = Buffer.alloc(0);

/**
 * The zero value of each scalar kind, as protobufjs's toObject gives it with
 * { longs: String, bytes: Buffer, defaults: true }: 64-bit integers are decimal strings.
 */
export const ZERO_VALUE: readonly unknown[] = [0, 0, 0, 0, 0, 0, 0, "0", "0", "0", "0", "0", false, "", EMPTY_BYTES];

/** Same nesting limit as protobufjs, so that hostile input cannot exhaust the stack. */
export const MAX_DEPTH = 100;

export function protobufError(message: string): Error {
  return new Error(`protobuf: ${message}`);
}
