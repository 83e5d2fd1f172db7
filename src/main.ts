/**
 * Entry point of the provider executable. Terraform starts it with no arguments; `--debug`
 * starts a server for TF_REATTACH_PROVIDERS instead, and `--address` says which source address
 * this process answers to (the dev_overrides wrappers pass it; packaged builds have it baked in).
 */
import { serve } from "./transport/serve.ts";
import { createLogger, levelFromEnv } from "./logging/logger.ts";
import { registerProviderService } from "./protocol/provider-service.ts";
import { lazyProviderServer } from "./protocol/lazy-provider-server.ts";
import { limitHeapGrowth } from "./heap-growth.ts";
import { limitCompilerTiers } from "./compiler-tiers.ts";
import { PACKAGED_VERSION, PROVIDER_VERSION } from "./version.ts";
import { ADDRESS_FORM, BUILT_PROVIDER_ADDRESS, parseProviderAddress } from "./provider-address.ts";

/** How long after start-up Turbofan stays available (src/compiler-tiers.ts). */
const COMPILER_TIER_DELAY_MS = 1000;

const args = process.argv.slice(2);
const debug = args.includes("--debug");
const address = addressArgument(args) ?? BUILT_PROVIDER_ADDRESS;
if (args.includes("--version") || args.includes("-v")) {
  const packaged = PACKAGED_VERSION === PROVIDER_VERSION ? "" : `, packaged as version ${PACKAGED_VERSION}`;
  process.stdout.write(
    `terraform-provider-${parseProviderAddress(address)?.type ?? "aws"} ${PROVIDER_VERSION} (IAM service-specific credentials; answers to ${address}${packaged}) on Node.js ${process.version}\n`,
  );
  process.exit(0);
}

// Debug mode logs at debug level unless TF_LOG_PROVIDER or TF_LOG names one.
const logger = createLogger({ level: debug && !(process.env.TF_LOG_PROVIDER || process.env.TF_LOG) ? "debug" : levelFromEnv(process.env), module: "provider" });
// The provider itself is loaded after the handshake line (see lazy-provider-server.ts).
const provider = lazyProviderServer(() => import("./provider-implementation.ts").then((m) => m.createProviderServer({ logger, providerAddress: address })));

// No top-level await: the single-executable build (scripts/package.mjs) bundles this file as
// CommonJS, which cannot have one. A failure to start reaches the unhandled-rejection handler
// that serve() installs (a `panic:` trace), or Node's own before that.
void serve({
  providerAddress: address,
  debug,
  logger,
  register: (grpcServer) => registerProviderService(grpcServer, provider.server, logger),
})
  .then(() => provider.preload())
  .then(() => {
    limitHeapGrowth();
    // Later than that: a flag set at run time stops V8 taking the code cache of the built-in
    // modules loaded after it, and the first connection and the first AWS call load a few dozen.
    // A process that lives shorter (schema, validate) compiles too little to matter.
    setTimeout(limitCompilerTiers, COMPILER_TIER_DELAY_MS).unref();
  });

function addressArgument(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === "--address" || a.startsWith("--address="));
  if (i < 0) return undefined;
  const value = argv[i]!.includes("=") ? argv[i]!.slice("--address=".length) : argv[i + 1];
  if (value === undefined || !parseProviderAddress(value)) {
    process.stderr.write(`terraform-provider: --address ${JSON.stringify(value ?? "")} is not a provider source address: expected ${ADDRESS_FORM}\n`);
    process.exit(2);
  }
  return value;
}
