/**
 * tfplugin6 DynamicValue <-> Value. Requests may carry msgpack or JSON; responses are always
 * msgpack (what Terraform itself sends and expects).
 */
import type { CtyType } from "../values/cty-type.ts";
import { NULL, type Value } from "../values/value.ts";
import { decodeJson, type JsonDecodeOptions } from "./json-codec.ts";
import { decodeMsgpack, encodeMsgpack } from "./msgpack-codec.ts";

interface DynamicValueLike {
  readonly msgpack?: Uint8Array | null;
  readonly json?: Uint8Array | null;
}

/** Decodes a request's DynamicValue: msgpack when present, else JSON, else a null value. */
export function decodeDynamicValue(dv: DynamicValueLike | null | undefined, type: CtyType, options?: JsonDecodeOptions): Value {
  if (dv == null) return NULL;
  if (dv.msgpack != null && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack, type);
  if (dv.json != null && dv.json.length > 0) return decodeJson(dv.json, type, options);
  return NULL;
}

export function encodeDynamicValue(value: Value, type: CtyType): { msgpack: Buffer } {
  const bytes = encodeMsgpack(value, type);
  // A view, not a copy: encodeMsgpack already returned a fresh array.
  return { msgpack: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
