// The committed src/generated files must be what scripts/generate-proto.mjs makes from proto/:
// a .proto edit without `npm run generate` would otherwise ship a server that disagrees with it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/dist.ts";

interface Generator {
  loadProtoRoot(): protobuf.Root;
  renderDescriptor(root: protobuf.Root): string;
  renderTypes(root: protobuf.Root): string;
  renderProviderRpcs(root: protobuf.Root): string;
}

const generator = (await import(pathToFileURL(join(REPO_ROOT, "scripts", "generate-proto.mjs")).href)) as Generator;
const committed = (file: string) => readFileSync(join(REPO_ROOT, "src", "generated", file), "utf8");

describe("src/generated", () => {
  const root = generator.loadProtoRoot();

  it("proto-descriptor.json is up to date with proto/", () => {
    expect(committed("proto-descriptor.json")).toBe(generator.renderDescriptor(root));
  });

  it("protocol-types.ts is up to date with proto/", () => {
    expect(committed("protocol-types.ts")).toBe(generator.renderTypes(root));
  });

  it("provider-rpcs.ts is up to date with proto/", () => {
    expect(committed("provider-rpcs.ts")).toBe(generator.renderProviderRpcs(root));
  });

  it("the RPC list follows the service: a new RPC in the proto is a new method", () => {
    const changed = generator.loadProtoRoot();
    changed.lookupService("tfplugin6.Provider").add(new protobuf.Method("ListResource", "rpc", "GetMetadata.Request", "GetMetadata.Response"));
    expect(generator.renderProviderRpcs(changed)).toContain('ListResource: "listResource"');
  });

  it("the descriptor holds the four services the plugin serves", () => {
    const fromJson = protobuf.Root.fromJSON(JSON.parse(committed("proto-descriptor.json")) as protobuf.INamespace);
    for (const service of ["tfplugin6.Provider", "plugin.GRPCController", "plugin.GRPCStdio", "plugin.GRPCBroker", "grpc.health.v1.Health"]) {
      expect(() => fromJson.lookupService(service), service).not.toThrow();
    }
  });

  it("notices a stale file (the renderer depends on the protos)", () => {
    const changed = generator.loadProtoRoot();
    changed.lookupType("tfplugin6.DynamicValue").add(new protobuf.Field("extra", 9, "string"));
    expect(generator.renderDescriptor(changed)).not.toBe(committed("proto-descriptor.json"));
    expect(generator.renderTypes(changed)).not.toBe(committed("protocol-types.ts"));
  });
});
