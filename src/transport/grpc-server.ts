/**
 * The part of gRPC a go-plugin server needs, on node:http2: unary, server-streaming and
 * bidirectional calls, mTLS, status trailers and cancellation. grpc-js carries a client,
 * channelz, load balancing and interceptors that a plugin never uses; loading and running them
 * cost every provider process (Terraform starts several per command) tens of milliseconds.
 */
import * as http2 from "node:http2";
import type { MessageCodec, MethodDescriptor } from "./protobuf-codec.ts";
import { serviceMethods } from "./protobuf-codec.ts";

/** gRPC status codes this server sends. */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
} as const;

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
  /** Aborted when the client cancels the call or the connection drops. */
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
  /** Only clients with a certificate signed by this one get through. */
  clientCaPem: string;
}

interface Route {
  method: MethodDescriptor;
  handler: Handler;
}

const FRAME_HEADER = 5;

export class GrpcServer {
  private readonly routes = new Map<string, Route>();
  private readonly sessions = new Set<http2.Http2Session>();
  private server: http2.Http2Server | http2.Http2SecureServer | undefined;

  constructor(private readonly maxMessageBytes: number) {}

  /** Handlers by method name, for the service's methods in the generated descriptor. */
  addService(serviceFullName: string, handlers: Record<string, Handler>): void {
    for (const method of serviceMethods(serviceFullName)) {
      const handler = handlers[method.name];
      if (handler) this.routes.set(method.path, { method, handler });
    }
  }

  /** Listens on a unix socket path, or on 127.0.0.1 when `port` is given; resolves the port. */
  listen(target: { path: string } | { port: number }, tls?: TlsOptions): Promise<number> {
    const options: http2.SecureServerOptions = {
      // Terraform sends whole states and schemas as single messages.
      maxSessionMemory: Number.MAX_SAFE_INTEGER,
      maxSendHeaderBlockLength: 64 * 1024,
    };
    const server = tls
      ? http2.createSecureServer({
          ...options,
          key: tls.keyPem,
          cert: tls.certPem,
          ca: tls.clientCaPem,
          requestCert: true,
          rejectUnauthorized: true,
          minVersion: "TLSv1.2",
          ALPNProtocols: ["h2"],
        })
      : http2.createServer(options);
    this.server = server;
    server.on("session", (session: http2.Http2Session) => {
      this.sessions.add(session);
      session.on("close", () => this.sessions.delete(session));
      // A client that goes away mid-call is not the server's failure.
      session.on("error", () => {});
    });
    // Refused handshakes (wrong or missing client certificate) concern only that client.
    server.on("tlsClientError", () => {});
    server.on("stream", (stream, headers) => this.dispatch(stream, headers));
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      const listening = () => {
        server.off("error", reject);
        // Once serving, failures belong to sessions and streams, which report them to their
        // calls; an unheard server error would end the process and every call in it.
        server.on("error", () => {});
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : 0);
      };
      if ("path" in target) server.listen(target.path, listening);
      else server.listen(target.port, "127.0.0.1", listening);
    });
  }

  /** Stops listening and drops every connection. */
  close(): void {
    for (const session of this.sessions) session.destroy();
    this.sessions.clear();
    this.server?.close();
  }

  private dispatch(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on("error", () => {});
    const contentType = headers["content-type"] ?? "";
    if (headers[":method"] !== "POST" || !contentType.startsWith("application/grpc")) {
      if (!stream.destroyed) stream.respond({ ":status": 415 }, { endStream: true });
      return;
    }
    const route = this.routes.get(headers[":path"] ?? "");
    if (!route) {
      endWithStatus(stream, Status.UNIMPLEMENTED, `unknown method ${headers[":path"]}`);
      return;
    }
    const call = new Call(stream, route.method, this.maxMessageBytes);
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
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private headersSent = false;
  private finished = false;
  private messageListener: ((message: object) => void) | undefined;
  private endListener: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly method: MethodDescriptor,
    private readonly maxMessageBytes: number,
  ) {
    stream.on("close", () => {
      // Closed before the server finished: the client cancelled or went away.
      const cancelled = !this.finished;
      this.finished = true;
      if (cancelled) this.controller?.abort();
    });
    stream.on("data", (chunk: Buffer) => this.receive(chunk));
    stream.on("end", () => {
      this.ended = true;
      this.endListener?.();
    });
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.gone() && !this.controller.signal.aborted) this.controller.abort();
    return this.controller.signal;
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
      if (count !== 1 || !request) return this.fail(Status.INVALID_ARGUMENT, `expected one request message, got ${count}`);
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
          return this.fail(Status.INTERNAL, `cannot encode the response: ${(err as Error).message}`);
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
    if (this.headersSent) this.finish(code, message);
    else {
      this.finished = true;
      endWithStatus(this.stream, code, message);
    }
  }

  private receive(chunk: Buffer): void {
    if (this.finished) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (this.pendingBytes >= FRAME_HEADER) {
      const head = this.peek(FRAME_HEADER);
      const length = head.readUInt32BE(1);
      if (head[0] !== 0) return this.fail(Status.UNIMPLEMENTED, "compressed messages are not accepted");
      if (length > this.maxMessageBytes) {
        return this.fail(Status.RESOURCE_EXHAUSTED, `message of ${length} bytes exceeds the limit of ${this.maxMessageBytes}`);
      }
      if (this.pendingBytes < FRAME_HEADER + length) return;
      const body = this.take(FRAME_HEADER + length).subarray(FRAME_HEADER);
      let message: object;
      try {
        message = this.method.request.decode(body);
      } catch (err) {
        return this.fail(Status.INTERNAL, `cannot decode the request: ${(err as Error).message}`);
      }
      this.messageListener?.(message);
    }
  }

  private peek(n: number): Buffer {
    if (this.pending[0]!.length >= n) return this.pending[0]!;
    this.pending = [Buffer.concat(this.pending)];
    return this.pending[0]!;
  }

  private take(n: number): Buffer {
    const first = this.peek(n);
    const out = first.subarray(0, n);
    if (first.length === n) this.pending.shift();
    else this.pending[0] = first.subarray(n);
    this.pendingBytes -= n;
    return out;
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

/** A "trailers-only" answer: the status travels in the only header block. */
function endWithStatus(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    stream.close(http2.constants.NGHTTP2_CANCEL);
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
