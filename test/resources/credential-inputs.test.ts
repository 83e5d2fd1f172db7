// Inputs Terraform accepts that the provider must refuse before calling IAM (issue 13: an empty
// service name at validate, import ids IAM could never answer), and the Expired warning saying
// what the plan really does.
import { describe, expect, it } from "vitest";
import { FrameworkServer } from "../../src/framework/framework-server.ts";
import { Diagnostics } from "../../src/framework/diagnostics.ts";
import { blockType } from "../../src/framework/schema.ts";
import { encodeDynamicValue } from "../../src/protocol/dynamic-value.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, known, objectValue } from "../../src/values/value.ts";
import { awsProvider } from "../../src/provider/aws-provider.ts";
import { iamServiceSpecificCredential } from "../../src/resources/iam-service-specific-credential.ts";
import { createLogger } from "../../src/logging/logger.ts";
import type * as tf from "../../src/generated/protocol-types.ts";

const CREDENTIAL = "aws_iam_service_specific_credential";
const USER = "aws_iam_user";
const server = () => new FrameworkServer(awsProvider(), { logger: createLogger({ level: "off", module: "test" }), env: {} });
const credentialType = blockType(iamServiceSpecificCredential.schema.block);
const errors = (r: { diagnostics?: tf.Diagnostic[] | null }) => (r.diagnostics ?? []).filter((d) => d.severity === "ERROR");

function credentialConfig(fields: Record<string, Value>): tf.DynamicValue {
  const names = Object.keys(iamServiceSpecificCredential.schema.block.attributes);
  return encodeDynamicValue(objectValue(Object.fromEntries(names.map((n) => [n, fields[n] ?? NULL]))), credentialType);
}

describe("service_name at validate", () => {
  for (const bad of ["", " ", "codecommit.amazonaws.com ", "code commit"]) {
    it(`refuses ${JSON.stringify(bad)}, pointing at service_name`, async () => {
      const r = await server().validateResourceConfig({
        type_name: CREDENTIAL,
        config: credentialConfig({ service_name: known(bad), user_name: known("jane") }),
      });
      expect(errors(r)).toEqual([
        expect.objectContaining({
          summary: "Invalid attribute value",
          detail: expect.stringMatching(/is not a service name/),
          attribute: { steps: [{ attribute_name: "service_name" }] },
        }),
      ]);
    });
  }

  it("accepts supported and not-yet-known services (the latter only warn at plan)", async () => {
    for (const ok of ["codecommit.amazonaws.com", "newservice.amazonaws.com"]) {
      const r = await server().validateResourceConfig({
        type_name: CREDENTIAL,
        config: credentialConfig({ service_name: known(ok), user_name: known("jane") }),
      });
      expect(errors(r)).toEqual([]);
    }
  });
});

describe("import ids", () => {
  const format = /Expected SERVICE_NAME:USER_NAME:SERVICE_SPECIFIC_CREDENTIAL_ID, for example codecommit\.amazonaws\.com:example:ACCAEXAMPLE123EXAMPLE\./;
  const badCredentialIds: [string, RegExp][] = [
    [" codecommit.amazonaws.com:jane:ACCAEXAMPLE123EXAMPLE", /white space/],
    ["codecommit.amazonaws.com:jane:ACCAEXAMPLE123EXAMPLE ", /white space/],
    ["codecommit.amazonaws.com: jane:ACCAEXAMPLE123EXAMPLE", /white space/],
    ["codecommit.amazonaws.com:jane:ACCAEXAMPLE123EXAMPLE\n", /white space/],
    ["codecommit.amazonaws.com:jane doe:ACCAEXAMPLE123EXAMPLE", /"jane doe" is not a valid IAM user name/],
    ["codecommit.amazonaws.com:jane/admin:ACCAEXAMPLE123EXAMPLE", /"jane\/admin" is not a valid IAM user name/],
    [`codecommit.amazonaws.com:${"u".repeat(65)}:ACCAEXAMPLE123EXAMPLE`, /is not a valid IAM user name/],
    ["codecommit.amazonaws.com:jane:ACCA-SHORT", /"ACCA-SHORT" is not a credential id/],
    ["codecommit.amazonaws.com:jane:ACCASHORT", /"ACCASHORT" is not a credential id/],
    ["code commit:jane:ACCAEXAMPLE123EXAMPLE", /"code commit" is not a service name/],
    ["codecommit.amazonaws.com:jane", /exactly three non-empty parts/],
  ];
  for (const [id, why] of badCredentialIds) {
    it(`${CREDENTIAL} refuses ${JSON.stringify(id)} with the reason and the expected format`, async () => {
      const r = await server().importResourceState({ type_name: CREDENTIAL, id });
      expect(r.imported_resources ?? []).toEqual([]);
      expect(errors(r)).toHaveLength(1);
      expect(errors(r)[0]!.summary).toBe("Invalid import id");
      expect(errors(r)[0]!.detail).toMatch(why);
      expect(errors(r)[0]!.detail).toMatch(format);
    });
  }

  it(`${CREDENTIAL} accepts a well-formed id`, async () => {
    const r = await server().importResourceState({ type_name: CREDENTIAL, id: "codecommit.amazonaws.com:jane.doe+ci@example.com:ACCAEXAMPLE123EXAMPLE" });
    expect(errors(r)).toEqual([]);
    expect(r.imported_resources).toHaveLength(1);
  });

  for (const id of [" jane", "jane ", "jane\n", "\tjane", "jane doe", "jane/admin", "u".repeat(65), ""]) {
    it(`${USER} refuses ${JSON.stringify(id)} with the expected format`, async () => {
      const r = await server().importResourceState({ type_name: USER, id });
      expect(r.imported_resources ?? []).toEqual([]);
      expect(errors(r)).toEqual([
        expect.objectContaining({ summary: "Invalid import id", detail: expect.stringMatching(/expected the user's name, such as "example"/) }),
      ]);
    });
  }
});

describe("an Expired credential's plan", () => {
  it("warns that it is replaced, saying the default order (delete first) and the create_before_destroy one", () => {
    const prior = objectValue({
      service_name: known("bedrock.amazonaws.com"),
      user_name: known("jane"),
      status: known("Expired"),
      service_specific_credential_id: known("ACCAEXAMPLE123EXAMPLE"),
      expiration_date: known("2025-10-31T12:34:56Z"),
    });
    const config = objectValue({ service_name: known("bedrock.amazonaws.com"), user_name: known("jane"), status: NULL });
    const diags = new Diagnostics();
    const plan = { planned: prior, requiresReplace: [] as (string | number)[][], diagnostics: diags };
    iamServiceSpecificCredential.modifyPlan!({ prior, config, proposed: prior, client: undefined, private: {} }, plan);
    expect(plan.requiresReplace).toEqual([["status"]]);
    const warning = diags.items.find((d) => d.summary === "Expired credential will be replaced")!;
    expect(warning.severity).toBe("warning");
    expect(warning.detail).not.toMatch(/create a new one and delete the old/);
    expect(warning.detail).toMatch(/deletes the expired key first and then creates a new one/);
    expect(warning.detail).toMatch(/with create_before_destroy, creates the new one before deleting the old/);
  });
});
