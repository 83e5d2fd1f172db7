// The packaged single executable encrypts with pgp_key (issue 14): openpgp is loaded on demand,
// and a SEA can load nothing from node_modules, so it must be inside the bundle and work there.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "../harness/index.ts";
import { DEFAULT_MIRROR, VERSION, emulatorProviderBlock, startMirrorLab, type MirrorLab } from "./support.ts";

let lab: MirrorLab;

beforeAll(async () => {
  lab = await startMirrorLab([DEFAULT_MIRROR]);
}, 600_000);

afterAll(async () => {
  await lab?.close();
});

describe("single executable with pgp_key", () => {
  it("init from the mirror, apply: the password is stored encrypted and decrypts to IAM's; destroy", async () => {
    const pair = await openpgp.generateKey({ userIDs: [{ name: "sea test" }], format: "binary" });
    const privateKey = await openpgp.readPrivateKey({ binaryKey: pair.privateKey });
    const user = uniqueName("sea-pgp");
    const { work, tf, state } = await lab.workspace("tf-sea-pgp-", [DEFAULT_MIRROR]);
    await writeFile(
      join(work, "main.tf"),
      `terraform {
  backend "local" {
    path = "state/terraform.tfstate"
  }
  required_providers {
    awsssc = { source = "iamssc/awsssc", version = "${VERSION}" }
  }
}
${emulatorProviderBlock("awsssc", lab.emulator.url)}
resource "aws_iam_user" "u" {
  provider = awsssc
  name     = "${user}"
}
resource "aws_iam_service_specific_credential" "c" {
  provider     = awsssc
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.u.name
  pgp_key      = "${Buffer.from(pair.publicKey).toString("base64")}"
}
`,
    );
    await tf(["init"]);
    await tf(["apply", "-auto-approve"]);
    const values = (await state()).resources.find((r) => r.type === "aws_iam_service_specific_credential")!.instances[0]!.attributes;
    expect(values.service_password).toBeNull();
    expect(values.key_fingerprint).toBe(privateKey.getFingerprint());
    const message = await openpgp.readMessage({ binaryMessage: Buffer.from(String(values.encrypted_service_password), "base64") });
    const { data } = await openpgp.decrypt({ message, decryptionKeys: privateKey, format: "binary" });
    const inIam = lab.emulator.state().credentials.find((c) => c.id === values.service_specific_credential_id)!.servicePassword;
    expect(Buffer.from(data as Uint8Array).toString("utf8") === inIam, "decrypts to IAM's password").toBe(true);
    await tf(["plan", "-detailed-exitcode"]);
    await tf(["destroy", "-auto-approve"]);
  }, 600_000);
});
