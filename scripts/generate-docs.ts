/**
 * Generates the provider's documentation in the Terraform Registry layout from the schemas in
 * src/ (descriptions, modes, sensitivity, defaults, replacement) and the configurations in
 * examples/:
 *   docs/index.md
 *   docs/resources/iam_service_specific_credential.md
 *   docs/resources/iam_user.md
 *   docs/data-sources/iam_service_specific_credentials.md
 *
 * `npm run docs` writes them (through scripts/run-ts.mjs); test/docs/generated-docs.test.ts
 * fails when the committed files differ from what this generates.
 */
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { AttributeSchema, BlockSchema, NestedBlockSchema } from "../src/framework/schema.ts";
import type { Resource } from "../src/framework/resource.ts";
import type { DataSource } from "../src/framework/data-source.ts";
import type { CtyType } from "../src/values/cty-type.ts";
import type { Value } from "../src/values/value.ts";
import { asBool, asNumber, asString, isKnown } from "../src/values/value.ts";
import { providerSchema } from "../src/provider/aws-provider.ts";
import { iamServiceSpecificCredential } from "../src/resources/iam-service-specific-credential.ts";
import { iamUser } from "../src/resources/iam-user.ts";
import { iamServiceSpecificCredentials } from "../src/data-sources/iam-service-specific-credentials.ts";
import type { IamApi } from "../src/aws/iam-api.ts";

export interface GeneratedDoc {
  /** Path relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

interface ExampleRef {
  readonly dir: string;
  readonly title: string;
  /** Paragraphs shown before the example. */
  readonly notes?: readonly string[];
}

interface ResourcePage {
  readonly resource: Resource<IamApi>;
  readonly file: string;
  readonly examples: readonly ExampleRef[];
  /** Example import id; "from-import-block-example" takes the one in examples/import-block. */
  readonly importId: string | "from-import-block-example";
  readonly importAddress: string;
  readonly importNotes: readonly string[];
}

interface DataSourcePage {
  readonly dataSource: DataSource<IamApi>;
  readonly file: string;
  readonly examples: readonly ExampleRef[];
}

const SUBCATEGORY = "IAM (Identity & Access Management)";

const RESOURCES: readonly ResourcePage[] = [
  {
    resource: iamServiceSpecificCredential,
    file: "docs/resources/iam_service_specific_credential.md",
    examples: [
      { dir: "codecommit-credential", title: "CodeCommit password" },
      { dir: "bedrock-api-key", title: "Bedrock API key that expires after 30 days" },
      {
        dir: "password-rotation",
        title: "Rotating a password in place with reset_trigger",
        notes: [
          'Each new value of `reset_trigger` resets the password with ResetServiceSpecificCredential: the plan shows an in-place update (`~`) with `service_password` known after apply, and the credential keeps its id, user and status. The usual pairing is the `hashicorp/time` provider\'s `time_rotating`, for example `reset_trigger = time_rotating.every_90_days.id` with `resource "time_rotating" "every_90_days" { rotation_days = 90 }`; any value bumped by hand works too, as below.',
          "Setting `reset_trigger` in the configuration that creates the credential does nothing extra, and removing it does nothing in IAM; adding it to an existing credential is a change, and resets the password. API keys (Bedrock, CloudWatch Logs) cannot be reset: a change of `reset_trigger` on one plans its replacement, with a warning.",
          "If IAM may have reset the password but its answer was lost (a dropped connection, a server error), the apply fails with an error saying the password may have changed. Terraform taints only objects whose create failed, so the provider keeps the credential in the state with its previous password and notes the unconfirmed reset beside it: the next plan resets the password again, in place, even if `reset_trigger` is set back.",
        ],
      },
      {
        dir: "api-key-renewal",
        title: "Renewing an API key before it expires with early_renewal_days",
        notes: [
          "Like the `tls` provider's `early_renewal_hours`: once a plan runs within `early_renewal_days` of `expiration_date`, it replaces the key, with a warning that gives the expiry date; before that, the plan is empty. The time is IAM's, taken from the Date header of its answers (as the AWS SDK does to correct clock skew), so a skewed local clock renews neither early nor late. `early_renewal_days` needs `credential_age_days` and must be smaller than it.",
        ],
      },
      {
        dir: "pgp-encrypted-credential",
        title: "Keeping the password out of plain-text state with pgp_key",
        notes: [
          "As with `aws_iam_access_key`, the secret IAM returns on create (or on a reset) is encrypted to the OpenPGP public key and stored as `encrypted_service_password` or `encrypted_service_credential_secret`, the base64 of a binary OpenPGP message, with the key's `key_fingerprint`; `service_password` and `service_credential_secret` stay null. A key that cannot be read or cannot encrypt is refused at plan, before anything is created. `keybase:` names are refused: the provider makes no calls to keybase.io.",
        ],
      },
    ],
    importId: "from-import-block-example",
    importAddress: "aws_iam_service_specific_credential.example",
    importNotes: [
      "IAM returns a password or API key secret only in the response that creates the credential, so after an import `service_password` and `service_credential_secret` are null.",
      "With an `import` block, `terraform plan -generate-config-out=generated.tf` writes the resource block for you (see `examples/import-block`).",
      "The data source [`aws_iam_service_specific_credentials`](../data-sources/iam_service_specific_credentials.md) lists a user's credentials with their import ids, so `import` blocks can take them with `for_each` (see `examples/list-credentials`).",
    ],
  },
  {
    resource: iamUser,
    file: "docs/resources/iam_user.md",
    examples: [{ dir: "codecommit-credential", title: "A user with a CodeCommit password" }],
    importId: "example",
    importAddress: "aws_iam_user.example",
    importNotes: ["`force_destroy` is `false` after an import, as it is when not set."],
  },
];

const DATA_SOURCES: readonly DataSourcePage[] = [
  {
    dataSource: iamServiceSpecificCredentials,
    file: "docs/data-sources/iam_service_specific_credentials.md",
    examples: [{ dir: "list-credentials", title: "Find a user's credentials and import them" }],
  },
];

const PROVIDER_EXAMPLES = {
  localstack: "localstack-provider",
  profile: `provider "aws" {
  region  = "eu-west-1"
  profile = "my-profile" # a profile in ~/.aws/config and ~/.aws/credentials
}`,
};

// ---------------------------------------------------------------------------------------------
// Rendering helpers

function typeName(type: CtyType): string {
  if (typeof type === "string") return { string: "String", number: "Number", bool: "Boolean", dynamic: "Dynamic" }[type];
  switch (type[0]) {
    case "list":
      return `List of ${typeName(type[1])}`;
    case "set":
      return `Set of ${typeName(type[1])}`;
    case "map":
      return `Map of ${typeName(type[1])}`;
    case "tuple":
      return "Tuple";
    case "object":
      return "Object";
  }
}

function renderDefault(value: Value): string | undefined {
  if (!isKnown(value)) return undefined;
  const s = asString(value);
  if (s !== undefined) return `\`${s}\``;
  const b = asBool(value);
  if (b !== undefined) return `\`${String(b)}\``;
  const n = asNumber(value);
  if (n !== undefined) return `\`${String(n)}\``;
  return undefined;
}

function sentence(text: string): string {
  const t = text.trim();
  return t === "" || /[.!?)`]$/.test(t) ? t : `${t}.`;
}

function attributeLine(name: string, attr: AttributeSchema): string {
  const marks = [typeName(attr.type)];
  if (attr.sensitive) marks.push("Sensitive");
  if (attr.writeOnly) marks.push("Write-only");
  if (attr.deprecated) marks.push("Deprecated");
  const notes: string[] = [];
  if (attr.default !== undefined && !/\bDefault\b/.test(attr.description)) {
    const d = renderDefault(attr.default);
    if (d) notes.push(`Defaults to ${d}.`);
  }
  if (attr.requiresReplace) notes.push("Changing it replaces the resource.");
  if (attr.deprecated) notes.push(`Deprecated: ${sentence(attr.deprecated)}`);
  return `- \`${name}\` (${marks.join(", ")}) ${[sentence(attr.description), ...notes].filter(Boolean).join(" ")}`;
}

function sorted<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function blockLabel(nested: NestedBlockSchema): string {
  const kind = nested.nesting === "single" ? "Block" : nested.nesting === "set" ? "Block Set" : "Block List";
  const limits = [nested.minItems ? `Min: ${nested.minItems}` : "", nested.maxItems ? `Max: ${nested.maxItems}` : ""].filter(Boolean);
  return [kind, ...limits].join(", ");
}

/** Arguments (required, then optional) of a block and, below them, its nested blocks. */
function argumentReference(block: BlockSchema, headingLevel: number): string[] {
  const out: string[] = [];
  const args = sorted(block.attributes).filter(([, a]) => a.required || a.optional);
  const required = args.filter(([, a]) => a.required);
  const optional = args.filter(([, a]) => !a.required);
  const blocks = sorted(block.blocks ?? {});
  if (required.length > 0) {
    out.push("The following arguments are required:", "", ...required.map(([n, a]) => attributeLine(n, a)), "");
  }
  if (optional.length > 0 || blocks.length > 0) {
    out.push(required.length > 0 ? "The following arguments are optional:" : "All arguments are optional:", "");
    out.push(...optional.map(([n, a]) => attributeLine(n, a)));
    out.push(...blocks.map(([n, b]) => `- \`${n}\` (${blockLabel(b)}) ${sentence(b.description ?? "")} See [\`${n}\`](#${n}) below.`), "");
  }
  for (const [name, nested] of blocks) {
    out.push(`${"#".repeat(headingLevel)} \`${name}\``, "");
    if (nested.description) out.push(sentence(nested.description), "");
    out.push(...argumentReference(nested.block, headingLevel + 1));
  }
  return out;
}

function attributeReference(block: BlockSchema, what = "the resource"): string[] {
  const computedOnly = sorted(block.attributes).filter(([, a]) => a.computed && !a.required && !a.optional);
  const out = [`In addition to the arguments above, ${what} exports:`, ""];
  for (const [name, attr] of computedOnly) {
    const line = attributeLine(name, attr);
    out.push(attr.objectAttributeDescriptions ? `${line} See [\`${name}\`](#${name}) below.` : line);
  }
  out.push("");
  for (const [name, attr] of computedOnly) {
    const fields = objectFields(attr);
    if (!fields) continue;
    out.push(`### \`${name}\``, "", ...fields.map(([field, type, text]) => `- \`${field}\` (${typeName(type)}) ${sentence(text)}`), "");
  }
  return out;
}

/** The attributes of an object type (or of a collection's objects), with their descriptions. */
function objectFields(attr: AttributeSchema): [string, CtyType, string][] | undefined {
  const descriptions = attr.objectAttributeDescriptions;
  if (!descriptions) return undefined;
  let type = attr.type;
  while (typeof type !== "string" && (type[0] === "list" || type[0] === "set" || type[0] === "map")) type = type[1];
  if (typeof type === "string" || type[0] !== "object") throw new Error("objectAttributeDescriptions needs an object type, or a collection of objects");
  const attributes = type[1];
  const missing = Object.keys(attributes).filter((n) => descriptions[n] === undefined);
  if (missing.length > 0) throw new Error(`no description for ${missing.join(", ")}`);
  return sorted(attributes).map(([n, t]) => [n, t, descriptions[n]!]);
}

/** A resource or data source page up to its examples: front matter, title, description. */
function pageHead(kind: "Resource" | "Data Source", typeName: string, description: string): string[] {
  return [
    ...frontMatter(`${typeName} ${kind} - terraform-provider-aws`, description, SUBCATEGORY),
    GENERATED_NOTE,
    "",
    `# ${kind}: ${typeName}`,
    "",
    sentence(description),
    "",
    "## Example Usage",
    "",
  ];
}

function frontMatter(pageTitle: string, description: string, subcategory?: string): string[] {
  return [
    "---",
    `page_title: ${JSON.stringify(pageTitle)}`,
    ...(subcategory ? [`subcategory: ${JSON.stringify(subcategory)}`] : []),
    "description: |-",
    `  ${description}`,
    "---",
    "",
  ];
}

function fence(lang: string, body: string): string[] {
  return [`\`\`\`${lang}`, body.trimEnd(), "```", ""];
}

const GENERATED_NOTE = "<!-- Generated by `npm run docs` (scripts/generate-docs.ts) from the schemas in src/ and examples/. Do not edit. -->";

async function readExample(root: string, dir: string): Promise<string> {
  return readFile(join(root, "examples", dir, "main.tf"), "utf8");
}

async function importBlockExampleId(root: string): Promise<string> {
  const text = await readExample(root, "import-block");
  const id = /^\s*id\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  if (!id) throw new Error("examples/import-block/main.tf has no import id");
  return id;
}

// ---------------------------------------------------------------------------------------------
// Pages

async function providerPage(root: string): Promise<GeneratedDoc> {
  const description = providerSchema.description ?? "";
  const lines = [
    ...frontMatter("Provider: AWS (IAM service-specific credentials)", description),
    GENERATED_NOTE,
    "",
    "# AWS Provider (IAM service-specific credentials)",
    "",
    sentence(description),
    "",
    "It installs under its own address, `registry.terraform.io/iamssc/awsssc`, beside the official `hashicorp/aws` provider (resources are routed to it with `provider = awsssc`), or as a drop-in under `hashicorp/aws`. Its provider block accepts every argument of the official provider's, so blocks copied from existing configurations and LocalStack setups work unchanged. Its resources:",
    "",
    ...RESOURCES.map((r) => `- [\`${r.resource.typeName}\`](resources/${r.file.split("/").pop()}) — ${sentence(r.resource.schema.block.description ?? "")}`),
    "",
    "Its data sources:",
    "",
    ...DATA_SOURCES.map(
      (d) => `- [\`${d.dataSource.typeName}\`](data-sources/${d.file.split("/").pop()}) — ${sentence(d.dataSource.schema.block.description ?? "")}`,
    ),
    "",
    "## Example Usage",
    "",
    "### Beside the official provider",
    "",
    ...fence("terraform", await readExample(root, "side-by-side")),
    "### LocalStack",
    "",
    "Point the IAM and STS endpoints at LocalStack and skip the checks a local endpoint does not need:",
    "",
    ...fence("terraform", await readExample(root, PROVIDER_EXAMPLES.localstack)),
    "### AWS with a named profile",
    "",
    ...fence("terraform", PROVIDER_EXAMPLES.profile),
    "## Authentication and endpoints",
    "",
    "Credentials come from the first of: `access_key` and `secret_key` (with `token`) in the provider block; `profile` in the provider block; the `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` variables (with `AWS_SESSION_TOKEN`); the AWS SDK's default chain, which reads `AWS_PROFILE` and the shared files, SSO, web identity, and container or instance metadata. With `assume_role`, those credentials assume the role, and the role's credentials are used.",
    "",
    "The IAM endpoint is `endpoints.iam`, else `AWS_ENDPOINT_URL_IAM`, else `AWS_ENDPOINT_URL`; STS likewise.",
    "",
    "## Argument Reference",
    "",
    ...argumentReference(providerSchema, 3),
  ];
  return { path: "docs/index.md", content: finish(lines) };
}

async function resourcePage(root: string, page: ResourcePage): Promise<GeneratedDoc> {
  const { resource } = page;
  const block = resource.schema.block;
  const description = block.description ?? "";
  const importId = page.importId === "from-import-block-example" ? await importBlockExampleId(root) : page.importId;
  const idDescription = block.attributes.id?.description ?? "";
  const lines = pageHead("Resource", resource.typeName, description);
  for (const example of page.examples) {
    lines.push(
      `### ${example.title}`,
      "",
      ...(example.notes ?? []).flatMap((n) => [n, ""]),
      `From \`examples/${example.dir}/main.tf\`:`,
      "",
      ...fence("terraform", await readExample(root, example.dir)),
    );
  }
  lines.push("## Argument Reference", "", ...argumentReference(block, 3));
  lines.push("## Attribute Reference", "", ...attributeReference(block));
  lines.push(
    "## Import",
    "",
    `The import id is the resource's \`id\`, ${idPhrase(idDescription)}, such as \`${importId}\`.`,
    "",
    "With an [`import` block](https://developer.hashicorp.com/terraform/language/import) (Terraform 1.5 and later):",
    "",
    ...fence("terraform", `import {\n  to = ${page.importAddress}\n  id = ${JSON.stringify(importId)}\n}`),
    "With the `terraform import` command:",
    "",
    ...fence("console", `terraform import ${page.importAddress} ${importId}`),
    ...page.importNotes.flatMap((n) => [n, ""]),
  );
  return { path: page.file, content: finish(lines) };
}

async function dataSourcePage(root: string, page: DataSourcePage): Promise<GeneratedDoc> {
  const { dataSource } = page;
  const block = dataSource.schema.block;
  const description = block.description ?? "";
  const lines = pageHead("Data Source", dataSource.typeName, description);
  for (const example of page.examples) {
    lines.push(`### ${example.title}`, "", `From \`examples/${example.dir}/main.tf\`:`, "", ...fence("terraform", await readExample(root, example.dir)));
  }
  lines.push("## Argument Reference", "", ...argumentReference(block, 3));
  lines.push("## Attribute Reference", "", ...attributeReference(block, "the data source"));
  return { path: page.file, content: finish(lines) };
}

/** "The user's name." → "the user's name", for use inside a sentence. */
function idPhrase(description: string): string {
  const t = description.trim().replace(/\.$/, "");
  return /^[A-Z][a-z]/.test(t) ? t[0]!.toLowerCase() + t.slice(1) : t;
}

function finish(lines: string[]): string {
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

/** Every page, as it should be committed. */
export async function generateDocs(root: string): Promise<GeneratedDoc[]> {
  return [
    await providerPage(root),
    ...(await Promise.all(RESOURCES.map((r) => resourcePage(root, r)))),
    ...(await Promise.all(DATA_SOURCES.map((d) => dataSourcePage(root, d)))),
  ];
}

/** `npm run docs`: writes the pages under root. */
export async function main(_args: string[], root: string): Promise<void> {
  for (const doc of await generateDocs(root)) {
    const file = join(root, doc.path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, doc.content);
    process.stdout.write(`wrote ${doc.path}\n`);
  }
}
