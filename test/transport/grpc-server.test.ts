// The HTTP/2 gRPC server, exercised with grpc-js as the client (an independent implementation,
// with protobufjs codecs): unary and streaming calls, statuses, cancellation, limits, big
// messages and concurrency.
import { mkdtempSync, rmSync } from "node:fs";
import * as http2 from "node:http2";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallContext, DuplexStream, ServerStream } from "../../src/transport/grpc-server.ts";
import { GrpcError, GrpcServer } from "../../src/transport/grpc-server.ts";
import { Status, STATUS_NAMES } from "../../src/transport/grpc-status.ts";
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
      if (request.service === "deadline") {
        // Runs for 600 ms unless its signal says to stop.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 600);
          ctx.signal.addEventListener("abort", () => {
            aborted.push("deadline");
            clearTimeout(timer);
            resolve();
          });
        });
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

/** Polls for up to 5 s: a busy machine delays a cancel's arrival, not its effect. */
async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
}

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
    const call = (client as unknown as { Check: (r: object, cb: (e: grpc.ServiceError | null) => void) => grpc.ClientUnaryCall }).Check(
      { service: "slow" },
      () => {},
    );
    await new Promise((r) => setTimeout(r, 50));
    call.cancel();
    await until(() => aborted.includes("slow"));
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
    await until(() => aborted.includes("watch"));
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

// --- raw HTTP/2, for what grpc-js would not send or would decide on its own ------------------

interface RawAnswer {
  httpStatus: number;
  grpcStatus: string | undefined;
  grpcMessage: string | undefined;
  body: Buffer;
}

/** A HealthCheckRequest frame for `service`, built by hand. */
function checkFrame(service: string): Buffer {
  const text = Buffer.from(service);
  const len: number[] = [];
  for (let n = text.length; ; n >>>= 7) {
    if (n < 0x80) {
      len.push(n);
      break;
    }
    len.push((n & 0x7f) | 0x80);
  }
  const body = text.length ? Buffer.concat([Buffer.from([0x0a, ...len]), text]) : Buffer.alloc(0);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

function rawSession(socketPath: string): http2.ClientHttp2Session {
  const session = http2.connect("http://localhost", { createConnection: () => connect(socketPath) });
  session.on("error", () => {});
  return session;
}

function rawCall(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body: Buffer,
  path = "/grpc.health.v1.Health/Check",
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...headers });
    let httpStatus = 0;
    let grpcStatus: string | undefined;
    let grpcMessage: string | undefined;
    const chunks: Buffer[] = [];
    const take = (h: http2.IncomingHttpHeaders) => {
      if (h["grpc-status"] !== undefined) grpcStatus = String(h["grpc-status"]);
      if (h["grpc-message"] !== undefined) grpcMessage = String(h["grpc-message"]);
    };
    stream.on("response", (h) => {
      httpStatus = Number(h[":status"]);
      take(h);
    });
    stream.on("trailers", take);
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("close", () => resolve({ httpStatus, grpcStatus, grpcMessage, body: Buffer.concat(chunks) }));
    stream.end(body);
  });
}

describe("deadlines (grpc-timeout)", () => {
  it("ends a call past its deadline with DEADLINE_EXCEEDED and aborts the handler's signal", async () => {
    const session = rawSession(join(dir, "s.sock"));
    // A raw client: it neither cancels nor decides the status itself when the deadline passes.
    const answer = await rawCall(session, { "grpc-timeout": "100m" }, checkFrame("deadline"));
    expect(answer.httpStatus).toBe(200);
    expect(answer.grpcStatus).toBe(String(Status.DEADLINE_EXCEEDED));
    expect(aborted).toContain("deadline");
    session.close();
  });

  it("answers in time as usual, and INTERNAL for a malformed grpc-timeout", async () => {
    const session = rawSession(join(dir, "s.sock"));
    expect((await rawCall(session, { "grpc-timeout": "5S" }, checkFrame(""))).grpcStatus).toBe("0");
    for (const bad of ["", "100", "m", "1.5S", "-1S", "123456789S", "10x", "1 S"]) {
      const answer = await rawCall(session, { "grpc-timeout": bad }, checkFrame(""));
      expect(answer.grpcStatus, `grpc-timeout ${JSON.stringify(bad)}`).toBe(String(Status.INTERNAL));
    }
    session.close();
  });
});

describe("content-type", () => {
  it("serves application/grpc and application/grpc+proto, parameters allowed", async () => {
    const session = rawSession(join(dir, "s.sock"));
    for (const type of ["application/grpc", "application/grpc+proto", "application/grpc; charset=utf-8", "application/grpc+proto;x=y", "Application/GRPC"]) {
      const answer = await rawCall(session, { "content-type": type }, checkFrame(""));
      expect([answer.httpStatus, answer.grpcStatus], type).toEqual([200, "0"]);
    }
    session.close();
  });

  it("answers HTTP 415 to anything else, grpc-web included", async () => {
    const session = rawSession(join(dir, "s.sock"));
    for (const type of [
      "application/grpc-web",
      "application/grpc-web+proto",
      "application/grpc-web-text",
      "application/grpc+json",
      "application/grpcx",
      "application/json",
      "",
    ]) {
      const answer = await rawCall(session, { "content-type": type }, checkFrame(""));
      expect([answer.httpStatus, answer.grpcStatus], type).toEqual([415, undefined]);
    }
    session.close();
  });
});

describe("status codes", () => {
  it("has every gRPC status code, 0 to 16, with its name", () => {
    const expected = Object.entries(grpc.status).filter(([, v]) => typeof v === "number") as [string, number][];
    expect(expected).toHaveLength(17);
    for (const [name, code] of expected) {
      expect(Status[name as keyof typeof Status], name).toBe(code);
      expect(STATUS_NAMES[code], String(code)).toBe(name);
    }
  });
});

describe("buffer budget across calls", () => {
  it("refuses a message beyond the shared budget with RESOURCE_EXHAUSTED, and frees budget when a stream ends", async () => {
    const budgetDir = mkdtempSync(join(tmpdir(), "grpc-budget-test-"));
    // One message may be up to 1 MB; all calls together may hold 1.5 MB.
    const small = new GrpcServer(1024 * 1024, 1.5 * 1024 * 1024);
    small.addService("grpc.health.v1.Health", { Check: (r: { service: string }) => ({ status: r.service.length > 1000 ? "SERVING" : "NOT_SERVING" }) });
    const socket = join(budgetDir, "s.sock");
    await small.listen({ path: socket });
    const session = rawSession(socket);
    try {
      // A holds 1 MB of budget: it declares 1 MB and sends only part of it.
      const a = session.request({ ":method": "POST", ":path": "/grpc.health.v1.Health/Check", "content-type": "application/grpc", te: "trailers" });
      a.on("error", () => {});
      const head = Buffer.alloc(5);
      head.writeUInt32BE(1024 * 1024, 1);
      a.write(Buffer.concat([head, Buffer.alloc(600 * 1024, 0x41)]));
      await new Promise((r) => setTimeout(r, 200));
      // B's 900 KB would take the total beyond 1.5 MB.
      const big = checkFrame("x".repeat(900 * 1024));
      const b = await rawCall(session, {}, big);
      expect(b.grpcStatus).toBe(String(Status.RESOURCE_EXHAUSTED));
      // Once A is gone, the same message fits.
      const aClosed = new Promise((r) => a.once("close", r));
      a.close(http2.constants.NGHTTP2_CANCEL);
      await aClosed;
      await new Promise((r) => setTimeout(r, 100));
      const c = await rawCall(session, {}, big);
      expect(c.grpcStatus).toBe("0");
    } finally {
      session.destroy();
      small.close();
      rmSync(budgetDir, { recursive: true, force: true });
    }
  });
});

describe("graceful shutdown", () => {
  it("sends GOAWAY with NO_ERROR, lets an in-flight call finish, and takes no new ones", async () => {
    const closeDir = mkdtempSync(join(tmpdir(), "grpc-close-test-"));
    const closing = new GrpcServer(LIMIT);
    let releaseSlow: (() => void) | undefined;
    const started = new Promise<void>((ready) => {
      closing.addService("grpc.health.v1.Health", {
        async Check() {
          ready();
          await new Promise<void>((r) => (releaseSlow = r));
          return { status: "SERVING" };
        },
      });
    });
    const socket = join(closeDir, "s.sock");
    await closing.listen({ path: socket });
    const session = rawSession(socket);
    const goaway = new Promise<number>((resolve) => session.once("goaway", (code: number) => resolve(code)));
    try {
      const inFlight = rawCall(session, {}, checkFrame(""));
      await started;
      const closed = closing.close(10_000);
      expect(await goaway).toBe(http2.constants.NGHTTP2_NO_ERROR);
      releaseSlow!();
      const answer = await inFlight;
      expect(answer.grpcStatus).toBe("0");
      await closed;
    } finally {
      session.destroy();
      rmSync(closeDir, { recursive: true, force: true });
    }
  });

  it("drops what is still running when the bound passes", async () => {
    const closeDir = mkdtempSync(join(tmpdir(), "grpc-close-test-"));
    const closing = new GrpcServer(LIMIT);
    closing.addService("grpc.health.v1.Health", { Check: () => new Promise<object>(() => {}) });
    const socket = join(closeDir, "s.sock");
    await closing.listen({ path: socket });
    const session = rawSession(socket);
    try {
      const inFlight = rawCall(session, {}, checkFrame("")).catch((err: Error) => err);
      await new Promise((r) => setTimeout(r, 100));
      await closing.close(200);
      const answer = await inFlight;
      expect(answer instanceof Error || answer.grpcStatus !== "0").toBe(true);
    } finally {
      session.destroy();
      rmSync(closeDir, { recursive: true, force: true });
    }
  });
});
