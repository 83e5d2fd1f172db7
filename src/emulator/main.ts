/**
 * CLI: `emulator [--port N] [--profile aws|localstack] [--strict-auth] [--account-id ID]`.
 * Prints one ready line with the URL, runs in the foreground, stops on SIGTERM/SIGINT.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from "./index.ts";

const USAGE = "usage: emulator [--port N] [--profile aws|localstack] [--strict-auth] [--account-id 123456789012]";

function parseArgs(argv: string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new Error(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case "--port": {
        const text = value();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new Error(`invalid port "${text}"`);
        options.port = port;
        break;
      }
      case "--profile": {
        const profile = value();
        if (profile !== "aws" && profile !== "localstack") throw new Error(`unknown profile "${profile}"`);
        options.profile = profile;
        break;
      }
      case "--account-id":
        options.accountId = value();
        break;
      case "--strict-auth":
        options.strictAuth = true;
        break;
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        return process.exit(0);
      default:
        throw new Error(`unknown argument "${arg}"`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  // Handlers go in before anything is printed: whoever reads the ready line may signal at once.
  let emulator: Emulator | undefined;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    (emulator ? emulator.close() : Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);

  emulator = await startEmulator(options);
  const mode = options.strictAuth ? ", strict auth" : "";
  process.stdout.write(`IAM emulator listening on ${emulator.url} (profile ${options.profile ?? "aws"}${mode})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`IAM emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
