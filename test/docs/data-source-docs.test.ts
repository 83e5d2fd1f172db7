// The data source's generated page: Registry layout (docs/data-sources/<name without aws_>.md),
// its example, arguments, and the attributes of each listed credential; the pages that link to it.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDocs } from "../../scripts/generate-docs.ts";
import { REPO_ROOT } from "../support/dist.ts";

describe("data source documentation", () => {
  it("has front matter, the example, arguments, and each credential attribute under its own heading", async () => {
    const docs = new Map((await generateDocs(REPO_ROOT)).map((d) => [d.path, d.content]));
    const page = docs.get("docs/data-sources/iam_service_specific_credentials.md")!;
    expect(page).toMatch(
      /^---\npage_title: "aws_iam_service_specific_credentials Data Source - terraform-provider-aws"\nsubcategory: .*\ndescription: \|-\n {2}.+\n---\n/,
    );
    expect(page).toContain("\n# Data Source: aws_iam_service_specific_credentials\n");
    for (const heading of ["## Example Usage", "## Argument Reference", "## Attribute Reference", "### `credentials`"])
      expect(page).toContain(`\n${heading}\n`);
    expect(page).not.toContain("## Import");
    expect(page).toContain(await readFile(join(REPO_ROOT, "examples/list-credentials/main.tf"), "utf8"));
    expect(page).toMatch(/^- `user_name` \(String\) /m);
    expect(page).toMatch(/^- `service_name` \(String\) /m);
    expect(page).toMatch(/^- `credentials` \(List of Object\) .*oldest first.* See \[`credentials`\]\(#credentials\) below\.$/m);
    const credentials = page.slice(page.indexOf("### `credentials`"));
    for (const field of [
      "id",
      "service_specific_credential_id",
      "service_name",
      "service_user_name",
      "service_credential_alias",
      "status",
      "create_date",
      "expiration_date",
    ]) {
      expect(credentials).toMatch(new RegExp(`^- \`${field}\` \\(String\\) `, "m"));
    }
    expect(credentials).toContain("`service_name:user_name:service_specific_credential_id`, the import id of `aws_iam_service_specific_credential`");
    expect(page).not.toMatch(/Sensitive/);

    expect(docs.get("docs/index.md")).toContain("- [`aws_iam_service_specific_credentials`](data-sources/iam_service_specific_credentials.md) — ");
    expect(docs.get("docs/resources/iam_service_specific_credential.md")).toContain("(../data-sources/iam_service_specific_credentials.md)");
  });
});
