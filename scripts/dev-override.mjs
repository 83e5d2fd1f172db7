// `npm run dev-override`: writes a Terraform CLI configuration whose dev_overrides point
// registry.terraform.io/hashicorp/aws at this repository's dist/, and prints the line that makes
// a shell use it. The user's own ~/.terraformrc (or TF_CLI_CONFIG_FILE) is never read or written:
// the file is the repository's .terraformrc.dev (git-ignored), or the path given with --file.
//
// Usage: node scripts/dev-override.mjs [--file PATH]
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

function parseArgs(argv) {
  let file = join(root, ".terraformrc.dev");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--file" && argv[i + 1]) file = resolve(argv[++i]);
    else if (arg.startsWith("--file=")) file = resolve(arg.slice("--file=".length));
    else {
      process.stderr.write(`dev-override: unknown argument ${arg}\nusage: node scripts/dev-override.mjs [--file PATH]\n`);
      process.exit(2);
    }
  }
  return { file };
}

/** Quotes a path for a POSIX shell only when it needs it. */
function shellQuote(text) {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const { file } = parseArgs(process.argv.slice(2));
await mkdir(dirname(file), { recursive: true });
await writeFile(
  file,
  `# Written by \`npm run dev-override\`. Terraform uses the provider built in dist/ (npm run build)
# for hashicorp/aws, and the registry for every other provider. Skip \`terraform init\` for
# configurations that only use hashicorp/aws: plan and apply work without it.
provider_installation {
  dev_overrides {
    "registry.terraform.io/hashicorp/aws" = ${JSON.stringify(dist)}
  }
  direct {}
}
`,
);

const out = [
  `Wrote ${file}: dev_overrides for registry.terraform.io/hashicorp/aws -> ${dist}`,
  ...(existsSync(join(dist, "terraform-provider-aws")) ? [] : ["(dist/terraform-provider-aws does not exist yet: run `npm run build`)"]),
  "Run this in your shell (your ~/.terraformrc is left alone; unset TF_CLI_CONFIG_FILE to go back):",
  "",
  `export TF_CLI_CONFIG_FILE=${shellQuote(file)}`,
  "",
];
process.stdout.write(out.join("\n"));
