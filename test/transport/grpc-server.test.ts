// The HTTP/2 gRPC server, exercised with grpc-js as the client (an independent implementation,
// with protobufjs codecs): unary and streaming calls, statuses, cancellation, limits, big
// messages and concurrency.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallContext, DuplexStream, ServerStream } from "../../src/transport/grpc-server.ts";
import { GrpcError, GrpcServer, Status } from "../../src/transport/grpc-server.ts";
import { CHANNEL_OPTIONS, clientConstructor, makeClient, unary } from "../support/plugin-process.ts";

const LIMIT = 8 * 1024 * 1024;
let dir: string;
let server: GrpcServer;
let target: string;
const aborted: string[] = [];
let release: (() => void) | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "grpc-server-test-"));
  server = new GrpcServer(LIMIT);
  server.addService("grpc.health.v1.Health", {
    async Check(request: { service: string }, ctx: CallContext) {
      if (request.service === "slow") {
        ctx.signal.addEventListener("abort", () => aborted.push("slow"));
        await new Promise<void>((r) => (release = r));
        return { status: "SERVING" };
      }
      if (request.service === "missing") throw new GrpcError(Status.NOT_FOUND, "no such service: missing (100%)\nnaïve");
      if (request.service === "bug") throw new TypeError("handler bug");
      return { status: request.service === "" ? "SERVING" : "NOT_SERVING" };
    },
    Watch(request: { service: string }, stream: ServerStream) {
      if (request.service === "bug") throw new TypeError("streaming handler bug");
      stream.write({ status: "SERVING" });
      stream.write({ status: "NOT_SERVING" });
      if (request.service === "end") stream.end();
      else stream.signal.addEventListener("abort", () => aborted.push("watch"));
    },
  });
  server.addService("plugin.GRPCBroker", {
    StartStream(stream: DuplexStream) {
      stream.onMessage((m) => stream.write({ ...(m as object), address: `echo:${(m as { address: string }).address}` }));
      stream.onEnd(() => stream.end());
    },
  });
  server.addService("tfplugin6.Provider", {
    UpgradeResourceState(request: { raw_state: { json: Buffer } }) {
      // Echo the raw state back as the upgraded state: a big request and a big response.
      return { upgraded_state: { json: request.raw_state.json }, diagnostics: [] };
    },
  });
  await server.listen({ path: join(dir, "s.sock") });
  target = `unix://${join(dir, "s.sock")}`;
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const insecure = () => grpc.credentials.createInsecure();

describe("unary calls", () => {
  it("answers with the handler's message", async () => {
    const client = makeClient("grpc.health.v1.Health", target, insecure());
    await expect(unary(client, "Check", { service: "" })).resolves.toEqual({ status: "SERVING" });
    await expect(unary(client, "Check", { service: "x" })).resolves.toEqual({ status: "NOT_SERVING" });
    client.close();
  });

  it("ends with the GrpcError's status and message, percent-encoding intact", async () => {
    const client = makeClient("grpc.health.v1.Health", target, insecure());
    const err = await unary(client, "Check", { service: "missing" }).catch((e: grpc.ServiceError) => e);
    expect((err as grpc.ServiceError).code).toBe(grpc.status.NOT_FOUND);
    expect((err as grpc.ServiceError).details).toBe("no such service: missing (100%)\nnaïve");
    const bug = await unary(client, "Check", { service: "bug" }).catch((e: grpc.ServiceError) => e);
    expect((bug as grpc.ServiceError).code).toBe(grpc.status.UNKNOWN);
    expect((bug as grpc.ServiceError).details).toBe("handler bug");
    client.close();
  });

  it("answers UNIMPLEMENTED for a method it does not serve", async () => {
    const client = makeClient("tfplugin6.Provider", target, insecure());
    const err = await unary(client, "GetProviderSchema", {}).catch((e: grpc.ServiceError) => e);
    expect((err as grpc.ServiceError).code).toBe(grpc.status.UNIMPLEMENTED);
    client.close();
  });

  it("carries 6 MB each way, and refuses a message over the limit with RESOURCE_EXHAUSTED", async () => {
    const Ctor = clientConstructor("tfplugin6.Provider");
    const client = new Ctor(target, insecure(), { ...CHANNEL_OPTIONS, "grpc.max_receive_message_length": -1, "grpc.max_send_message_length": -1 });
    const big = Buffer.alloc(6 * 1024 * 1024, "a");
    const r = await unary<{ upgraded_state: { json: Buffer } }>(client, "UpgradeResourceState", { raw_state: { json: big } }, 20_000);
    expect(Buffer.compare(r.upgraded_state.json, big)).toBe(0);
    const tooBig = Buffer.alloc(LIMIT + 1, "b");
    const err = await unary(client, "UpgradeResourceState", { raw_state: { json: tooBig } }, 20_000).catch((e: grpc.ServiceError) => e);
    expect((err as grpc.ServiceError).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    // The connection is still good.
    const again = await unary<{ upgraded_state: { json: Buffer } }>(client, "UpgradeResourceState", { raw_state: { json: Buffer.from("{}") } });
    expect(again.upgraded_state.json.toString()).toBe("{}");
    client.close();
  });

  it("answers INTERNAL for bytes that are not the request message", async () => {
    // A client whose serializer sends garbage in place of a HealthCheckRequest.
    const Ctor = grpc.makeGenericClientConstructor(
      {
        Check: {
          path: "/grpc.health.v1.Health/Check",
          requestStream: false,
          responseStream: false,
          requestSerialize: () => Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
          requestDeserialize: (b: Buffer) => b,
          responseSerialize: (b: Buffer) => b,
          responseDeserialize: (b: Buffer) => b,
        },
      },
      "Raw",
    );
    const client = new Ctor(target, insecure());
    const err = await new Promise<grpc.ServiceError>((resolve) =>
      (client as unknown as { Check: (r: object, cb: (e: grpc.ServiceError) => void) => void }).Check({}, resolve),
    );
    expect(err.code).toBe(grpc.status.INTERNAL);
    client.close();
  });

  it("serves 500 concurrent calls on one connection", async () => {
    const client = makeClient("grpc.health.v1.Health", target, insecure());
    const answers = await Promise.all(Array.from({ length: 500 }, (_, i) => unary(client, "Check", { service: i % 2 ? "" : "x" })));
    expect(answers.filter((a) => a.status === "SERVING")).toHaveLength(250);
    client.close();
  });

  it("aborts the handler's signal when the client cancels", async () => {
    const client = makeClient("grpc.health.v1.Health", target, insecure());
    const call = (client as unknown as { Check: (r: object, cb: (e: grpc.ServiceError | null) => void) => grpc.ClientUnaryCall }).Check({ service: "slow" }, () => {});
    await new Promise((r) => setTimeout(r, 50));
    call.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect(aborted).toContain("slow");
    release?.();
    client.close();
  });
});

describe("streams", () => {
  it("server streaming: every message, then OK or cancellation", async () => {
    const client = makeClient("grpc.health.v1.Health", target, insecure());
    const watch = (service: string) => (client as unknown as { Watch: (r: object) => grpc.ClientReadableStream<{ status: string }> }).Watch({ service });
    const ended = watch("end");
    const got: string[] = [];
    ended.on("data", (m) => got.push(m.status));
    await new Promise<void>((resolve, reject) => {
      ended.on("status", (s: grpc.StatusObject) => (s.code === grpc.status.OK ? resolve() : reject(new Error(s.details))));
      ended.on("error", reject);
    });
    expect(got).toEqual(["SERVING", "NOT_SERVING"]);

    const open = watch("open");
    await new Promise<void>((resolve) => open.once("data", () => resolve()));
    open.on("error", () => {});
    open.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect(aborted).toContain("watch");
    client.close();
  });

  it("a streaming handler that throws ends its call with UNKNOWN, and the server goes on serving", async () => {
    const client = makeClient("grpc.health.v1.Health", target, insecure());
    const watch = (client as unknown as { Watch: (r: object) => grpc.ClientReadableStream<{ status: string }> }).Watch({ service: "bug" });
    const status = await new Promise<grpc.StatusObject>((resolve) => {
      watch.on("error", () => {});
      watch.on("status", resolve);
    });
    expect(status.code).toBe(grpc.status.UNKNOWN);
    expect(status.details).toBe("streaming handler bug");
    expect(await unary(client, "Check", { service: "" })).toEqual({ status: "SERVING" });
    client.close();
  });

  it("bidirectional: messages both ways, and the end of the client's side ends the call", async () => {
    const client = makeClient("plugin.GRPCBroker", target, insecure());
    const stream = (client as unknown as { StartStream: () => grpc.ClientDuplexStream<object, { address: string }> }).StartStream();
    const got: string[] = [];
    stream.on("data", (m) => got.push(m.address));
    stream.write({ service_id: 1, network: "unix", address: "a" });
    stream.write({ service_id: 2, network: "unix", address: "b" });
    stream.end();
    await new Promise<void>((resolve, reject) => {
      stream.on("status", (s: grpc.StatusObject) => (s.code === grpc.status.OK ? resolve() : reject(new Error(s.details))));
      stream.on("error", reject);
    });
    expect(got).toEqual(["echo:a", "echo:b"]);
    client.close();
  });
});
