// `npm run dev-override`: writes a Terraform CLI configuration whose dev_overrides point a
// provider address at this repository's dist/ build, and prints the line that makes a shell use
// it. The user's own ~/.terraformrc (or TF_CLI_CONFIG_FILE) is never read or written: the file is
// the repository's .terraformrc.dev (git-ignored), or the path given with --file.
//
// Terraform looks for `terraform-provider-<type>` in the override directory, and dist/ is rebuilt
// whole by every `npm run build`. So the override points at build/dev-override/<address>/, which
// holds one exec wrapper of that name: it runs dist/terraform-provider-aws with `--address`, so
// the provider knows which address it answers to. (A symlink would not do: the launcher finds its
// bundle next to $0.)
//
// With --sea the override points at the single executable instead (the fast path: its embedded
// Node.js and code cache start quicker than the launcher), built from the current src/ as
// `npm run package` builds it, into build/dev-override-sea/executables/, and linked from
// build/dev-override-sea/<address>/.
// Run it again after changing src/.
//
// Usage: node scripts/dev-override.mjs [--address HOST/NAMESPACE/TYPE] [--file PATH] [--sea]
//        (default address: the provider's own, registry.terraform.io/iamssc/awsssc)
import { existsSync } from "node:fs";
import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "./import-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const { OWN_PROVIDER_ADDRESS, ADDRESS_FORM, parseProviderAddress } = await importTs("src/provider-address.ts");
const USAGE = "usage: npm run dev-override -- [--address HOST/NAMESPACE/TYPE] [--file PATH] [--sea]";

function fail(message) {
  process.stderr.write(`dev-override: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { file: join(root, ".terraformrc.dev"), address: OWN_PROVIDER_ADDRESS, sea: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.split("=")[0];
    if (arg === "--sea") {
      options.sea = true;
      continue;
    }
    if (name !== "--file" && name !== "--address") fail(`unknown argument ${arg}\n${USAGE}`);
    let value;
    if (arg.includes("=")) value = arg.slice(arg.indexOf("=") + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) value = argv[++i];
    else fail(`${arg} needs a value\n${USAGE}`);
    if (name === "--file") options.file = resolve(value);
    else options.address = value;
  }
  const parsed = parseProviderAddress(options.address);
  if (!parsed) fail(`--address ${JSON.stringify(options.address)} is not a provider source address: expected ${ADDRESS_FORM}`);
  return { ...options, ...parsed };
}

/** Quotes a path for a POSIX shell only when it needs it. */
function shellQuote(text) {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const { file, address, host, namespace, type, sea } = parseArgs(process.argv.slice(2));
const overrideDir = join(root, "build", sea ? "dev-override-sea" : "dev-override", host, namespace, type);
const wrapper = join(overrideDir, `terraform-provider-${type}`);
await mkdir(overrideDir, { recursive: true });
await rm(wrapper, { force: true });
let target;
if (sea) {
  // The package steps report on stderr: stdout is for the export line.
  const { buildExecutable } = await import("./package.mjs");
  const { PROVIDER_VERSION } = await importTs("src/version.ts");
  const write = process.stdout.write;
  process.stdout.write = (...a) => process.stderr.write(...a);
  try {
    target = await buildExecutable(
      { host, namespace, type, address, version: PROVIDER_VERSION },
      join(root, "build", "dev-override-sea", "executables", host, namespace, type),
    );
  } finally {
    process.stdout.write = write;
  }
  // The executable knows its address and needs nothing beside it: a link will do.
  await symlink(target, wrapper);
} else {
  target = join(dist, "terraform-provider-aws");
  await writeFile(
    wrapper,
    `#!/bin/sh\n# Written by \`npm run dev-override\`: the dist/ build, answering to ${address}.\nexec ${shellQuote(target)} --address ${address} "$@"\n`,
  );
  await chmod(wrapper, 0o755);
}

await mkdir(dirname(file), { recursive: true });
await writeFile(
  file,
  `# Written by \`npm run dev-override${sea ? " -- --sea" : ""}\`. Terraform uses ${sea ? `the single executable ${target}` : "the provider built in dist/ (npm run build)"}
# for ${address}, and the registry for every other provider. Skip \`terraform init\` for
# configurations that need nothing else: plan and apply work without it. A configuration with a
# backend block or other providers needs init, which dev_overrides cannot serve offline: use the
# filesystem mirror of \`npm run package\` there.
provider_installation {
  dev_overrides {
    ${JSON.stringify(address)} = ${JSON.stringify(overrideDir)}
  }
  direct {}
}
`,
);

const out = [
  `Wrote ${file}: dev_overrides for ${address} -> ${overrideDir} (runs ${sea ? target : "dist/terraform-provider-aws"})`,
  ...(sea || existsSync(join(dist, "terraform-provider-aws")) ? [] : ["(dist/terraform-provider-aws does not exist yet: run `npm run build`)"]),
  "Run this in your shell (your ~/.terraformrc is left alone; unset TF_CLI_CONFIG_FILE to go back):",
  "",
  `export TF_CLI_CONFIG_FILE=${shellQuote(file)}`,
  "",
];
process.stdout.write(out.join("\n"));
