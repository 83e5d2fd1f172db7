/**
 * Entry point of the provider executable. Terraform starts it with no arguments; `--debug`
 * starts a server for TF_REATTACH_PROVIDERS instead.
 */
import { serve } from "./transport/serve.ts";
import { createLogger, levelFromEnv } from "./transport/logger.ts";
import { registerProviderService } from "./protocol/provider-service.ts";
import { FrameworkServer } from "./framework/framework-server.ts";
import { awsProvider } from "./provider/aws-provider.ts";
import { PROVIDER_VERSION } from "./version.ts";

const PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/aws";

const args = process.argv.slice(2);
const debug = args.includes("--debug");
if (args.includes("--version") || args.includes("-v")) {
  process.stdout.write(`terraform-provider-aws ${PROVIDER_VERSION} (IAM service-specific credentials)\n`);
  process.exit(0);
}

const logger = createLogger({ level: debug ? "debug" : levelFromEnv(process.env), module: "provider" });
const server = new FrameworkServer(awsProvider(), { logger });

// No top-level await: the single-executable build (scripts/package.mjs) bundles this file as
// CommonJS, which cannot have one. A failure to start reaches the unhandled-rejection handler
// that serve() installs (a `panic:` trace), or Node's own before that.
void serve({
  providerAddress: PROVIDER_ADDRESS,
  debug,
  logger,
  register: (grpcServer) => registerProviderService(grpcServer, server, logger),
});
