// Issue 13, item 11, end to end: a resource's ctx.signal is aborted by the gRPC call's deadline
// (or the client's cancel) as well as by StopProvider. The call arrives over the real server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { encode } from "@msgpack/msgpack";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FrameworkServer } from "../../src/framework/framework-server.ts";
import { blockType } from "../../src/framework/schema.ts";
import { encodeDynamicValue } from "../../src/protocol/dynamic-value.ts";
import { registerProviderService } from "../../src/protocol/provider-service.ts";
import { GrpcServer } from "../../src/transport/grpc-server.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { makeClient, unary } from "../support/plugin-process.ts";
import { WIDGET, widget, widgetProvider, widgetResource, widgetSchema } from "../support/widget-resource.ts";

const silent = createLogger({ level: "off", module: "test" });
const state = encodeDynamicValue(
  widget({ id: "w-1", name: "alpha", size: 3, color: "red", revision: "r1", secret: "s3cr3t-value-1" }),
  blockType(widgetSchema.block),
);
const aborted: string[] = [];
let dir: string;
let grpcServer: GrpcServer;
let target: string;

beforeAll(async () => {
  // A read that runs for 3 s unless its signal says to stop.
  const resource = widgetResource({
    read: (req) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(), 3000);
        req.signal.addEventListener("abort", () => {
          aborted.push(req.signal.reason instanceof Error ? req.signal.reason.message : String(req.signal.reason));
          clearTimeout(timer);
          resolve();
        });
      }),
  });
  const framework = new FrameworkServer(widgetProvider(resource), { logger: silent, env: {} });
  await framework.configureProvider({ config: { msgpack: Buffer.from(encode({ endpoint: null })) } });
  dir = mkdtempSync(join(tmpdir(), "call-signal-test-"));
  grpcServer = new GrpcServer(8 * 1024 * 1024);
  registerProviderService(grpcServer, framework, silent);
  await grpcServer.listen({ path: join(dir, "s.sock") });
  target = `unix://${join(dir, "s.sock")}`;
});

afterAll(() => {
  void grpcServer.close(0);
  rmSync(dir, { recursive: true, force: true });
});

const waitFor = async (predicate: () => boolean) => {
  for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
};

it("aborts the resource's signal when the call's deadline passes", async () => {
  const client = makeClient("tfplugin6.Provider", target, grpc.credentials.createInsecure());
  // Connected first: a deadline spent on connecting would end the call before it is sent.
  await unary(client, "GetMetadata", {}, 20_000);
  const err = await unary(client, "ReadResource", { type_name: WIDGET, current_state: state }, 500).catch((e: grpc.ServiceError) => e);
  expect((err as grpc.ServiceError).code).toBe(grpc.status.DEADLINE_EXCEEDED);
  await waitFor(() => aborted.length > 0);
  expect(aborted).toHaveLength(1);
  client.close();
});

it("still aborts it on StopProvider", async () => {
  aborted.length = 0;
  const client = makeClient("tfplugin6.Provider", target, grpc.credentials.createInsecure());
  const read = unary(client, "ReadResource", { type_name: WIDGET, current_state: state }, 20_000);
  await new Promise((r) => setTimeout(r, 100));
  await unary(client, "StopProvider", {});
  await read;
  expect(aborted).toEqual(["Terraform asked the provider to stop"]);
  client.close();
});
