// The committed docs/ must be exactly what `npm run docs` generates from the schemas and examples.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDocs } from "../../scripts/generate-docs.ts";
import { REPO_ROOT } from "../support/dist.ts";

describe("generated documentation", () => {
  it("docs/ matches a fresh generation (run `npm run docs` after changing a schema or an example)", async () => {
    const docs = await generateDocs(REPO_ROOT);
    expect(docs.map((d) => d.path).sort()).toEqual([
      "docs/data-sources/iam_service_specific_credentials.md",
      "docs/index.md",
      "docs/resources/iam_service_specific_credential.md",
      "docs/resources/iam_user.md",
    ]);
    for (const doc of docs) {
      const committed = await readFile(join(REPO_ROOT, doc.path), "utf8").catch(() => "(missing)");
      expect(committed, `${doc.path} is out of date: run npm run docs`).toBe(doc.content);
    }
  });

  it("has the Registry layout: front matter, example usage, arguments, attributes with Sensitive marks, both import forms", async () => {
    const docs = new Map((await generateDocs(REPO_ROOT)).map((d) => [d.path, d.content]));
    const credential = docs.get("docs/resources/iam_service_specific_credential.md")!;
    expect(credential).toMatch(
      /^---\npage_title: "aws_iam_service_specific_credential Resource - terraform-provider-aws"\nsubcategory: .*\ndescription: \|-\n {2}.+\n---\n/,
    );
    for (const heading of ["## Example Usage", "## Argument Reference", "## Attribute Reference", "## Import"]) expect(credential).toContain(`\n${heading}\n`);
    expect(credential).toContain(await readFile(join(REPO_ROOT, "examples/codecommit-credential/main.tf"), "utf8"));
    expect(credential).toContain(await readFile(join(REPO_ROOT, "examples/bedrock-api-key/main.tf"), "utf8"));
    expect(credential).toMatch(/^- `service_password` \(String, Sensitive\) /m);
    expect(credential).toMatch(/^- `service_credential_secret` \(String, Sensitive\) /m);
    expect(credential).toMatch(/^- `service_name` \(String\) .*Changing it replaces the resource\.$/m);
    expect(credential).toMatch(/^- `status` \(String\) .*Defaults to `Active`\.$/m);
    // Arguments are not repeated among the attributes.
    const attributes = credential.slice(credential.indexOf("## Attribute Reference"), credential.indexOf("## Import"));
    expect(attributes).not.toContain("`user_name`");
    expect(credential).toContain(
      'import {\n  to = aws_iam_service_specific_credential.example\n  id = "codecommit.amazonaws.com:example:ACCAEXAMPLE123EXAMPLE"\n}',
    );
    expect(credential).toContain("terraform import aws_iam_service_specific_credential.example codecommit.amazonaws.com:example:ACCAEXAMPLE123EXAMPLE");
    expect(credential).toContain("`service_name:user_name:service_specific_credential_id`");

    const user = docs.get("docs/resources/iam_user.md")!;
    expect(user).toContain("terraform import aws_iam_user.example example");
    expect(user).toMatch(/^- `force_destroy` \(Boolean\) .*Defaults to `false`\.$/m);

    const index = docs.get("docs/index.md")!;
    expect(index).toContain(await readFile(join(REPO_ROOT, "examples/localstack-provider/main.tf"), "utf8"));
    expect(index).toContain('profile = "my-profile"');
    expect(index).toMatch(/^- `secret_key` \(String, Sensitive\) /m);
    expect(index).toContain("### `assume_role`");
    expect(index).toContain("- `iam` (String) Endpoint URL for IAM.");
  });
});
