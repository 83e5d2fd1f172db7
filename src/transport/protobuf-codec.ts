/**
 * Proto3 codec driven by the generated descriptor, in place of protobufjs, whose Root and
 * `new Function` codecs cost ~40-50 ms of start-up: here a message type's table is built the first
 * time it is used. Objects match protobufjs's toObject with
 * { longs: String, enums: String, bytes: Buffer, defaults: true, oneofs: true }.
 *
 * The parts: protobuf-wire.ts (wire types, field kinds), protobuf-descriptor.ts (name lookup, message
 * tables), protobuf-long.ts (64-bit values), protobuf-reader.ts (decoding), protobuf-writer.ts (encoding).
 */
import type { MessageType, Obj } from "./protobuf-descriptor.ts";
import { lookup, messageType, newObject, resolveName } from "./protobuf-descriptor.ts";
import { Reader, decodeMessage } from "./protobuf-reader.ts";
import { WriterPool, encodeMessage } from "./protobuf-writer.ts";
import { protobufError } from "./protobuf-wire.ts";

export interface MessageCodec<T = object> {
  /**
   * The message's bytes, after `reserve` bytes left for the caller (a frame header), so a reply
   * is copied once.
   */
  encode(message: T, reserve?: number): Buffer;
  decode(bytes: Uint8Array): T;
}

export interface MethodDescriptor {
  name: string;
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  request: MessageCodec;
  response: MessageCodec;
}

const writers = new WriterPool();
const codecs = new Map<string, MessageCodec>();

export function messageCodec<T extends object = object>(fullName: string): MessageCodec<T> {
  let codec = codecs.get(fullName);
  if (!codec) {
    if (!lookup(fullName)?.fields) throw protobufError(`no message type ${fullName}`);
    codec = createCodec(fullName);
    codecs.set(fullName, codec);
  }
  return codec as MessageCodec<T>;
}

function createCodec(fullName: string): MessageCodec {
  // Built on first use, not when a service's methods are listed.
  let t: MessageType | undefined;
  return {
    encode(message: object, reserve = 0): Buffer {
      t ??= messageType(fullName);
      if (message === null || typeof message !== "object") {
        throw new TypeError(`${fullName}: object expected`);
      }
      const w = writers.acquire();
      try {
        encodeMessage(t, message as Obj, w, 0);
        return w.result(reserve);
      } finally {
        writers.release(w);
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
}

export function serviceMethods(serviceFullName: string): MethodDescriptor[] {
  const methods = lookup(serviceFullName)?.methods;
  if (!methods) throw protobufError(`no service ${serviceFullName}`);
  return Object.entries(methods).map(([name, m]) => ({
    name,
    path: `/${serviceFullName}/${name}`,
    requestStream: Boolean(m.requestStream),
    responseStream: Boolean(m.responseStream),
    request: messageCodec(resolveName(m.requestType, serviceFullName)),
    response: messageCodec(resolveName(m.responseType, serviceFullName)),
  }));
}
