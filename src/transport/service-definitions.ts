/**
 * grpc-js service definitions built from the generated protobufjs descriptor: no .proto text is
 * parsed at start-up, and each message type's encoder is compiled by protobufjs on first use.
 */
// The light build: reflection from JSON descriptors, without the .proto parser.
import protobuf from "protobufjs/light.js";
import type { ServiceDefinition, MethodDefinition } from "@grpc/grpc-js";
import descriptor from "../generated/proto-descriptor.json" with { type: "json" };

let root: protobuf.Root | undefined;

function protoRoot(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  return root;
}

// Names stay as written in the .proto, enums as their names, 64-bit ints as decimal strings
// (exact), and every field present so handlers can read defaults without guessing.
const DECODE_OPTIONS: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

export function messageCodec<T extends object>(fullName: string) {
  const type = protoRoot().lookupType(fullName);
  return {
    encode: (message: T): Buffer => Buffer.from(type.encode(type.fromObject(message)).finish()),
    decode: (bytes: Buffer): T => type.toObject(type.decode(bytes), DECODE_OPTIONS) as T,
  };
}

export function serviceDefinition(fullName: string): ServiceDefinition {
  const service = protoRoot().lookupService(fullName);
  const definition: Record<string, MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const request = messageCodec<object>(method.resolvedRequestType!.fullName.slice(1));
    const response = messageCodec<object>(method.resolvedResponseType!.fullName.slice(1));
    definition[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: Boolean(method.requestStream),
      responseStream: Boolean(method.responseStream),
      requestSerialize: request.encode,
      requestDeserialize: request.decode,
      responseSerialize: response.encode,
      responseDeserialize: response.decode,
    };
  }
  return definition as ServiceDefinition;
}
