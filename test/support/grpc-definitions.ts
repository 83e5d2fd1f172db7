// grpc-js service definitions with protobufjs codecs, built from the same generated descriptor:
// tests talk to the provider through a gRPC and protobuf implementation other than its own.
import protobuf from "protobufjs/light.js";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import descriptor from "../../src/generated/proto-descriptor.json" with { type: "json" };

let root: protobuf.Root | undefined;

const DECODE_OPTIONS: protobuf.IConversionOptions = { longs: String, enums: String, bytes: Buffer, defaults: true, oneofs: true };

export function protobufjsCodec<T extends object = object>(fullName: string) {
  root ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  const type = root.lookupType(fullName);
  return {
    encode: (message: T): Buffer => Buffer.from(type.encode(type.fromObject(message)).finish()),
    decode: (bytes: Uint8Array): T => type.toObject(type.decode(bytes), DECODE_OPTIONS) as T,
  };
}

export function grpcServiceDefinition(fullName: string): ServiceDefinition {
  root ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  const service = root.lookupService(fullName);
  const definition: Record<string, MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const request = protobufjsCodec(method.resolvedRequestType!.fullName.slice(1));
    const response = protobufjsCodec(method.resolvedResponseType!.fullName.slice(1));
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
