/**
 * `client.send(command, { abortSignal })` without rebuilding the middleware chain each time.
 * The SDK clones and sorts the client's middleware stack on every send that carries options,
 * about a third of a millisecond per call, and its own handler cache serves only calls without
 * options. Nearly every call of a provider process carries the same Ctrl-C signal, so the chain
 * is resolved once per client, command class and signal and then reused, as the SDK's cache
 * does for calls without options.
 */

type Handler<O> = (command: never) => Promise<{ output: O }>;

interface ResolvableCommand<O> {
  // The SDK's own Command method: the client's middleware plus the command's, around the handler.
  resolveMiddleware(stack: never, config: never, options: never): Handler<O>;
}

interface SdkClient {
  readonly middlewareStack: unknown;
  readonly config: unknown;
}

const NO_SIGNAL = {};
const cache = new WeakMap<SdkClient, WeakMap<object, Map<unknown, Handler<unknown>>>>();

export async function send<O>(client: SdkClient, command: ResolvableCommand<O>, signal?: AbortSignal): Promise<O> {
  let bySignal = cache.get(client);
  if (!bySignal) {
    bySignal = new WeakMap();
    cache.set(client, bySignal);
  }
  let byCommand = bySignal.get(signal ?? NO_SIGNAL);
  if (!byCommand) {
    byCommand = new Map();
    bySignal.set(signal ?? NO_SIGNAL, byCommand);
  }
  let handler = byCommand.get(command.constructor) as Handler<O> | undefined;
  if (!handler) {
    const resolve = command.resolveMiddleware as (stack: unknown, config: unknown, options: unknown) => Handler<O>;
    handler = resolve.call(command, client.middlewareStack, client.config, signal ? { abortSignal: signal } : undefined);
    byCommand.set(command.constructor, handler as Handler<unknown>);
  }
  return (await handler(command as never)).output;
}
