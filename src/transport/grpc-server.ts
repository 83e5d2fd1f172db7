/**
 * The part of gRPC a go-plugin server needs, on node:http2: unary, server-streaming and
 * bidirectional calls, mTLS, status trailers, cancellation and deadlines, a receive budget
 * shared by all calls, and a graceful GOAWAY on close. grpc-js carries a client,
 * channelz, load balancing and interceptors that a plugin never uses; loading and running them
 * cost every provider process (Terraform starts several per command) tens of milliseconds.
 */
import type * as http2 from "node:http2";
import { createServer as createNetServer } from "node:net";
import type { Server as NetServer, Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { ByteBudget } from "./byte-budget.ts";
import { Status } from "./grpc-status.ts";
import { parseGrpcTimeout } from "./grpc-timeout.ts";
import type { MessageCodec, MethodDescriptor } from "./protobuf-codec.ts";
import { serviceMethods } from "./protobuf-codec.ts";

/** Thrown by a handler to end its call with a status other than OK. */
export class GrpcError extends Error {
  override readonly name = "GrpcError";
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CallContext {
  /** Aborted when the client cancels the call, the connection drops or the deadline passes. */
  readonly signal: AbortSignal;
}

export interface ServerStream<T = object> extends CallContext {
  write(message: T): void;
  end(): void;
}

export interface DuplexStream<T = object> extends ServerStream<T> {
  onMessage(listener: (message: object) => void): void;
  /** The client finished sending. */
  onEnd(listener: () => void): void;
}

export type UnaryHandler = (request: never, context: CallContext) => object | Promise<object>;
export type ServerStreamHandler = (request: never, stream: ServerStream) => void;
export type DuplexHandler = (stream: DuplexStream) => void;
export type Handler = UnaryHandler | ServerStreamHandler | DuplexHandler;

export interface TlsOptions {
  keyPem: string;
  certPem: string;
  /** Only clients presenting this certificate (PEM, one or more) get through. */
  clientCertPem: string;
}

interface Route {
  method: MethodDescriptor;
  handler: Handler;
}

const FRAME_HEADER = 5;
// setTimeout fires at once for longer delays; a deadline beyond ~24.8 days is no deadline.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class GrpcServer {
  private readonly routes = new Map<string, Route>();
  private readonly sessions = new Set<http2.Http2Session>();
  private readonly calls = new Set<Call>();
  private readonly budget: ByteBudget;
  private listener: NetServer | undefined;
  private server: http2.Http2Server | http2.Http2SecureServer | undefined;
  /** With TLS: the sessions whose client presented the trusted certificate. */
  private trustedSessions: WeakSet<http2.Http2Session> | undefined;

  /**
   * @param maxMessageBytes the largest request message one call may send
   * @param maxBufferedBytes what all calls together may hold in received messages
   */
  constructor(
    private readonly maxMessageBytes: number,
    maxBufferedBytes = maxMessageBytes,
  ) {
    this.budget = new ByteBudget(maxBufferedBytes);
  }

  /** Handlers by method name, for the service's methods in the generated descriptor. */
  addService(serviceFullName: string, handlers: Record<string, Handler>): void {
    for (const method of serviceMethods(serviceFullName)) {
      const handler = handlers[method.name];
      if (handler) this.routes.set(method.path, { method, handler });
    }
  }

  /**
   * Listens on a unix socket path, or on 127.0.0.1 when `port` is given; resolves the port.
   * The listening socket is plain `node:net`: HTTP/2 and the TLS context are set up when the
   * first connection arrives. Loading `node:http2` and `node:tls` is most of a plugin's start
   * above bare Node (Node 26: 1.46× bare for http2 alone), and until Terraform has read the
   * handshake line nothing can connect, so that work overlaps Terraform's own instead of
   * delaying the line every command waits for.
   */
  listen(target: { path: string } | { port: number }, tls?: TlsOptions): Promise<number> {
    const trusted = tls ? new Set(pemBodies(tls.clientCertPem)) : undefined;
    if (tls && trusted!.size === 0) throw new Error("the client certificate holds no PEM CERTIFICATE");
    this.trustedSessions = trusted ? new WeakSet() : undefined;
    const listener = createNetServer();
    this.listener = listener;
    listener.on("connection", (socket: Socket) => {
      // Synchronous, so the socket is handed over before any of its bytes are read.
      this.server ??= this.createHttp2Server(tls, trusted);
      this.server.emit("connection", socket);
    });
    return new Promise((resolve, reject) => {
      listener.once("error", reject);
      const listening = () => {
        listener.off("error", reject);
        // Once serving, failures belong to sessions and streams, which report them to their
        // calls; an unheard server error would end the process and every call in it.
        listener.on("error", () => {});
        const address = listener.address();
        resolve(typeof address === "object" && address ? address.port : 0);
      };
      if ("path" in target) listener.listen(target.path, listening);
      else listener.listen(target.port, "127.0.0.1", listening);
    });
  }

  private createHttp2Server(tls: TlsOptions | undefined, trusted: Set<string> | undefined): http2.Http2Server | http2.Http2SecureServer {
    const h2 = loadHttp2();
    const options: http2.SecureServerOptions = {
      // Terraform sends whole states and schemas as single messages.
      maxSessionMemory: Number.MAX_SAFE_INTEGER,
      maxSendHeaderBlockLength: 64 * 1024,
    };
    // The client is checked here, not by OpenSSL: a `ca` option makes Node 20 parse its ~140
    // bundled root certificates into a store first (~35 ms of every start), and an empty `ca`
    // skips that. The client must present exactly Terraform's certificate (pinned, stricter
    // than a chain to it); TLS has already proven it holds that certificate's key.
    const server = tls
      ? h2.createSecureServer({
          ...options,
          key: tls.keyPem,
          cert: tls.certPem,
          ca: [],
          requestCert: true,
          rejectUnauthorized: false,
          minVersion: "TLSv1.2",
          ALPNProtocols: ["h2"],
        })
      : h2.createServer(options);
    server.on("session", (session: http2.Http2Session) => {
      if (trusted) {
        const peer = (session.socket as TLSSocket).getPeerCertificate?.();
        if (!peer?.raw || !trusted.has(peer.raw.toString("base64"))) {
          session.destroy();
          return;
        }
        this.trustedSessions!.add(session);
      }
      this.sessions.add(session);
      session.on("close", () => this.sessions.delete(session));
      // A client that goes away mid-call is not the server's failure.
      session.on("error", () => {});
    });
    // Refused handshakes (wrong or missing client certificate) concern only that client.
    server.on("tlsClientError", () => {});
    server.on("error", () => {});
    server.on("stream", (stream, headers) => this.dispatch(stream, headers));
    return server;
  }

  /**
   * Stops listening and closes every connection with GOAWAY (NO_ERROR): unary calls in flight
   * may finish for up to `graceMs`, then what is left is dropped. Streaming calls here have no
   * natural end (stdio, broker, health watch), so they end at once with UNAVAILABLE.
   */
  close(graceMs = 1000): Promise<void> {
    this.listener?.close();
    this.server?.close();
    for (const call of [...this.calls]) if (call.streaming) call.fail(Status.UNAVAILABLE, "the server is shutting down");
    const open = [...this.sessions].filter((s) => !s.destroyed);
    if (open.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let left = open.length;
      const timer = setTimeout(() => {
        for (const session of open) session.destroy();
      }, graceMs);
      timer.unref();
      const closed = () => {
        if (--left > 0) return;
        clearTimeout(timer);
        resolve();
      };
      for (const session of open) {
        session.once("close", closed);
        session.close();
      }
    });
  }

  private dispatch(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on("error", () => {});
    if (this.trustedSessions && !this.trustedSessions.has(stream.session!)) {
      stream.session?.destroy();
      return;
    }
    if (headers[":method"] !== "POST" || !isGrpcContentType(headers["content-type"])) {
      // An HTTP status, not a gRPC one: a client that is not gRPC must not read 200 as success.
      if (!stream.destroyed) stream.respond({ ":status": 415 }, { endStream: true });
      return;
    }
    const route = this.routes.get(headers[":path"] ?? "");
    if (!route) {
      endWithStatus(stream, Status.UNIMPLEMENTED, `unknown method ${headers[":path"]}`);
      return;
    }
    let timeoutMs: number | undefined;
    const timeout = headers["grpc-timeout"];
    if (timeout !== undefined) {
      timeoutMs = parseGrpcTimeout(String(timeout));
      // As grpc-go does: a deadline the client meant but the server cannot read is an error,
      // not a licence to run unbounded.
      if (timeoutMs === undefined) {
        endWithStatus(stream, Status.INTERNAL, `malformed grpc-timeout: ${JSON.stringify(timeout)}`);
        return;
      }
    }
    const call = new Call(stream, route.method, this.maxMessageBytes, this.budget);
    this.calls.add(call);
    stream.once("close", () => this.calls.delete(call));
    if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) call.expireAfter(timeoutMs);
    const { method, handler } = route;
    if (method.requestStream && method.responseStream) {
      call.guard(() => (handler as DuplexHandler)(call.duplex()));
    } else if (method.requestStream) {
      call.fail(Status.UNIMPLEMENTED, "client-streaming calls are not served");
    } else {
      call.single((request) => {
        if (method.responseStream) call.guard(() => (handler as ServerStreamHandler)(request as never, call.duplex()));
        else call.answer(() => (handler as UnaryHandler)(request as never, call));
      });
    }
  }
}

/** One gRPC call on one HTTP/2 stream. */
class Call implements CallContext {
  // Made on first use: most handlers never look, and aborting a signal nobody holds costs.
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private deadline: NodeJS.Timeout | undefined;
  // The frame being received: its 5-byte header, then its body, copied into one buffer of the
  // declared size so that a message is never held twice.
  private readonly head = Buffer.alloc(FRAME_HEADER);
  private headFill = 0;
  private body: Buffer | undefined;
  private bodyFill = 0;
  /** Budget this call holds; given back when its stream closes. */
  private reserved = 0;
  private headersSent = false;
  private finished = false;
  private messageListener: ((message: object) => void) | undefined;
  private endListener: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly method: MethodDescriptor,
    private readonly maxMessageBytes: number,
    private readonly budget: ByteBudget,
  ) {
    stream.on("close", () => {
      // Closed before the server finished: the client cancelled or went away.
      const cancelled = !this.finished;
      this.finished = true;
      clearTimeout(this.deadline);
      this.body = undefined;
      this.budget.release(this.reserved);
      this.reserved = 0;
      if (cancelled) this.abort(new DOMException("the call was cancelled", "AbortError"));
    });
    stream.on("data", (chunk: Buffer) => this.receive(chunk));
    stream.on("end", () => {
      this.ended = true;
      this.endListener?.();
    });
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (!this.controller.signal.aborted) {
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
      else if (this.gone()) this.controller.abort();
    }
    return this.controller.signal;
  }

  /** Calls whose handler runs past the first message: nothing ends them but the handler. */
  get streaming(): boolean {
    return this.method.requestStream || this.method.responseStream;
  }

  /** The client's deadline: past it the handler is told to stop, and the client gets DEADLINE_EXCEEDED. */
  expireAfter(ms: number): void {
    this.deadline = setTimeout(() => {
      // An answer already on its way is not cancelled after the fact.
      if (this.finished) return;
      this.abort(new DOMException("the call's deadline passed", "TimeoutError"));
      this.fail(Status.DEADLINE_EXCEEDED, "deadline exceeded");
    }, ms);
    this.deadline.unref();
  }

  private abort(reason: unknown): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /** Waits for the one request message of a unary or server-streaming call. */
  single(then: (request: object) => void): void {
    let request: object | undefined;
    let count = 0;
    this.messageListener = (message) => {
      request = message;
      count++;
    };
    this.endListener = () => {
      if (this.finished) return;
      if (count !== 1 || !request) {
        this.fail(Status.INVALID_ARGUMENT, `expected one request message, got ${count}`);
        return;
      }
      then(request);
    };
  }

  /** Runs a streaming handler: what it throws ends this call, as for a unary one, not the process. */
  guard(run: () => void): void {
    try {
      run();
    } catch (err) {
      this.failWith(err);
    }
  }

  answer(run: () => object | Promise<object>): void {
    let result: Promise<object>;
    try {
      result = Promise.resolve(run());
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (response) => {
        if (this.finished || this.gone()) return;
        let frame: Buffer;
        try {
          frame = encodeFrame(this.method.response, response);
        } catch (err) {
          this.fail(Status.INTERNAL, `cannot encode the response: ${(err as Error).message}`);
          return;
        }
        this.sendHeaders();
        this.stream.write(frame);
        this.finish(Status.OK);
      },
      (err: unknown) => this.failWith(err),
    );
  }

  private failWith(err: unknown): void {
    if (err instanceof GrpcError) this.fail(err.code, err.message);
    else this.fail(Status.UNKNOWN, err instanceof Error ? err.message : String(err));
  }

  duplex(): DuplexStream {
    const call = this;
    return {
      get signal() {
        return call.signal;
      },
      write: (message) => {
        if (this.finished || this.gone()) return;
        this.sendHeaders();
        this.stream.write(encodeFrame(this.method.response, message));
      },
      end: () => this.finish(Status.OK),
      onMessage: (listener) => {
        this.messageListener = listener;
      },
      onEnd: (listener) => {
        this.endListener = listener;
        if (this.ended) listener();
      },
    };
  }

  fail(code: number, message: string): void {
    if (this.finished) return;
    clearTimeout(this.deadline);
    this.body = undefined;
    if (this.headersSent) this.finish(code, message);
    else {
      this.finished = true;
      endWithStatus(this.stream, code, message);
    }
  }

  private receive(chunk: Buffer): void {
    let at = 0;
    while (!this.finished) {
      if (this.body === undefined) {
        const n = Math.min(FRAME_HEADER - this.headFill, chunk.length - at);
        chunk.copy(this.head, this.headFill, at, at + n);
        this.headFill += n;
        at += n;
        if (this.headFill < FRAME_HEADER) return;
        this.headFill = 0;
        const length = this.head.readUInt32BE(1);
        if (this.head[0] !== 0) {
          this.fail(Status.UNIMPLEMENTED, "compressed messages are not accepted");
          return;
        }
        if (length > this.maxMessageBytes) {
          this.fail(Status.RESOURCE_EXHAUSTED, `message of ${length} bytes exceeds the limit of ${this.maxMessageBytes}`);
          return;
        }
        // Taken for the declared size before any of it arrives: what every call together holds
        // never passes the budget, however many streams a client opens.
        if (!this.budget.reserve(length)) {
          this.fail(
            Status.RESOURCE_EXHAUSTED,
            `message of ${length} bytes does not fit: the server already holds ${this.budget.inUse} bytes of requests (limit ${this.budget.limit})`,
          );
          return;
        }
        this.reserved += length;
        // Pages of a large unsafe allocation are only committed as bytes arrive.
        this.body = Buffer.allocUnsafe(length);
        this.bodyFill = 0;
      }
      const n = Math.min(this.body.length - this.bodyFill, chunk.length - at);
      chunk.copy(this.body, this.bodyFill, at, at + n);
      this.bodyFill += n;
      at += n;
      if (this.bodyFill < this.body.length) return;
      const body = this.body;
      this.body = undefined;
      let message: object;
      try {
        message = this.method.request.decode(body);
      } catch (err) {
        this.fail(Status.INTERNAL, `cannot decode the request: ${(err as Error).message}`);
        return;
      }
      this.messageListener?.(message);
      // A single request stays with its handler (bytes fields are views of `body`) until the
      // call ends; messages of a stream are small and handled as they come.
      if (this.method.requestStream) {
        this.budget.release(body.length);
        this.reserved -= body.length;
      }
    }
  }

  private gone(): boolean {
    return this.stream.destroyed || this.stream.closed;
  }

  private sendHeaders(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  }

  private finish(code: number, message?: string): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.deadline);
    // The client may have gone already (a closed connection ends its streams first).
    if (this.gone()) return;
    try {
      this.sendHeaders();
      this.stream.once("wantTrailers", () => {
        const trailers: http2.OutgoingHttpHeaders = { "grpc-status": String(code) };
        if (message) trailers["grpc-message"] = percentEncode(message);
        if (!this.gone()) this.stream.sendTrailers(trailers);
      });
      this.stream.end();
    } catch {
      // The stream closed between the check and the write: nobody is left to tell.
    }
  }
}

/** `application/grpc` or `application/grpc+proto`, any parameters after `;`; media types ignore case. */
function isGrpcContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const semi = value.indexOf(";");
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  return type === "application/grpc" || type === "application/grpc+proto";
}

/** A "trailers-only" answer: the status travels in the only header block. */
function endWithStatus(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    stream.close(loadHttp2().constants.NGHTTP2_CANCEL);
    return;
  }
  stream.respond(
    { ":status": 200, "content-type": "application/grpc", "grpc-status": String(code), "grpc-message": percentEncode(message) },
    { endStream: true },
  );
}

function encodeFrame(codec: MessageCodec, message: object): Buffer {
  const frame = codec.encode(message, FRAME_HEADER);
  frame[0] = 0;
  frame.writeUInt32BE(frame.length - FRAME_HEADER, 1);
  return frame;
}

/** gRPC's grpc-message encoding: printable ASCII as is, except `%`; everything else as UTF-8 %XX. */
function percentEncode(message: string): string {
  if (/^[\x20-\x24\x26-\x7e]*$/.test(message)) return message;
  let out = "";
  for (const byte of Buffer.from(message, "utf8")) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The DER of each PEM CERTIFICATE block, in base64 (whitespace removed), to compare peers with. */
function pemBodies(pem: string): string[] {
  const bodies: string[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    bodies.push(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64").toString("base64"));
  }
  return bodies;
}

/** `node:http2`, loaded on first use (see `listen`). */
function loadHttp2(): typeof http2 {
  return process.getBuiltinModule("node:http2");
}
