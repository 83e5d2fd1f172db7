// grpc-js service definitions loaded from proto/ by @grpc/proto-loader, the way grpc-js clients
// load theirs. They do not come from the project's generated descriptor, so a mistake there
// shows up as a disagreement between our server and this independent client.
import { join } from "node:path";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { loadSync, type PackageDefinition } from "@grpc/proto-loader";
import { REPO_ROOT } from "./dist.ts";

let definitions: PackageDefinition | undefined;

function loadDefinitions(): PackageDefinition {
  definitions ??= loadSync(["tfplugin6.proto", "go-plugin.proto", "health.proto"], {
    includeDirs: [join(REPO_ROOT, "proto")],
    keepCase: true,
    longs: String,
    enums: String,
    bytes: Buffer,
    defaults: true,
    oneofs: true,
  });
  return definitions;
}

export function grpcServiceDefinition(fullName: string): ServiceDefinition {
  const definition = loadDefinitions()[fullName];
  // Message and enum definitions carry a `format`; a service is a plain map of its methods.
  if (definition === undefined || "format" in definition) throw new Error(`proto/ defines no service ${fullName}`);
  return definition as ServiceDefinition;
}
