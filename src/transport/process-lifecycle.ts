/**
 * How the plugin process lives and dies under Terraform.
 *  - SIGINT is ignored: Ctrl-C reaches the whole process group, and Terraform answers it with
 *    StopProvider so the provider can cancel calls and still report what it created.
 *  - SIGTERM, and the parent going away (kill -9 of Terraform), end the process.
 *  - An uncaught error prints `panic: ` and a stack, which Terraform reports as a plugin crash
 *    with the trace rather than a bare "Plugin did not respond".
 */
import { redactor } from "../logging/logger.ts";

export interface LifecycleOptions {
  /** Run before exit: close the server, remove the socket. Must be synchronous-safe. */
  cleanup: () => void;
  /** Debug mode runs in a terminal: there Ctrl-C should stop the server. */
  interactive: boolean;
  parentPollMs?: number;
}

let exiting = false;

export function exitProcess(code: number, cleanup: () => void): void {
  if (exiting) return;
  exiting = true;
  try {
    cleanup();
  } finally {
    process.exit(code);
  }
}

export function installLifecycle(options: LifecycleOptions): void {
  const stop = () => exitProcess(0, options.cleanup);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
  if (options.interactive) process.on("SIGINT", stop);
  else process.on("SIGINT", () => {});

  if (!options.interactive) {
    const parent = process.ppid;
    const timer = setInterval(() => {
      if (process.ppid !== parent) stop();
    }, options.parentPollMs ?? 500);
    timer.unref();
  }

  const crash = (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    const text = redactor.redact(`panic: ${e.message}\n\n${e.stack ?? ""}\n`);
    process.stderr.write(text);
    exitProcess(2, options.cleanup);
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
  process.on("exit", () => {
    try {
      options.cleanup();
    } catch {
      // Exiting anyway.
    }
  });
}
