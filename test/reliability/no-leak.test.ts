/**
 * Issue 6: a full lifecycle (create, including one that fails half-way, refresh, update,
 * import, destroy) at TF_LOG=trace and TF_LOG_PROVIDER=trace. None of the passwords and API-key
 * secrets IAM issued (read from the emulator), nor the AWS secret key and session token the
 * provider signs with, appears in Terraform's output, in the log file, or in any diagnostic.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TerraformResult } from "../harness/index.ts";
import { CRED, secretsOf, startLab, stateCredentials, type Lab } from "./support.ts";

const AWS_SECRET = "LeakCanarySecretKey/7fQ2+zXv9wPq3RtYu8IoP1aSdF";
const AWS_TOKEN = "LeakCanarySessionToken/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ env: { AWS_SECRET_ACCESS_KEY: AWS_SECRET, AWS_SESSION_TOKEN: AWS_TOKEN } });
});
afterAll(async () => {
  await lab?.close();
});

function config(ccStatus: string): string {
  return `
resource "aws_iam_user" "u" {
  name = "leak-check"
}

resource "${CRED}" "cc" {
  user_name    = aws_iam_user.u.name
  service_name = "codecommit.amazonaws.com"
  status       = ${JSON.stringify(ccStatus)}
}

resource "${CRED}" "cass" {
  user_name    = aws_iam_user.u.name
  service_name = "cassandra.amazonaws.com"
  status       = "Inactive"
}

resource "${CRED}" "key" {
  user_name           = aws_iam_user.u.name
  service_name        = "bedrock.amazonaws.com"
  credential_age_days = 30
}

output "password" {
  value     = ${CRED}.cc.service_password
  sensitive = true
}
`;
}

describe("no secret in output, logs or diagnostics at trace level", () => {
  it("create, failed create, refresh, update, import, destroy", { timeout: 180_000 }, async () => {
    const wd = await lab.workdir();
    const importDir = await lab.workdir();
    const log = join(wd.dir, "trace.log");
    const trace = { TF_LOG: "trace", TF_LOG_PROVIDER: "trace", TF_LOG_PATH: log };
    const outputs: { step: string; result: TerraformResult }[] = [];
    const secrets = new Set<string>();
    const collectSecrets = async () => {
      for (const s of secretsOf((await lab.control.state()).credentials)) secrets.add(s);
    };
    const run = async (step: string, dir: typeof wd, args: string[], okCodes = [0]) => {
      const result = await dir.ok(args, okCodes, trace);
      outputs.push({ step, result });
      await collectSecrets();
      return result;
    };

    // Create, with the Inactive credential's status update refused: kept tainted, with its password.
    await wd.writeConfig(config("Active"));
    await lab.control.addFault({ action: "UpdateServiceSpecificCredential", code: "AccessDenied", status: 403, count: 1 });
    const failed = await run("apply (status update refused)", wd, ["apply", "-auto-approve", "-no-color"], [1]);
    expect(failed.stdout + failed.stderr).toMatch(/Credential created, but its status could not be set/);
    await lab.control.clearFaults();
    // Replace the tainted one; refresh; plan; update in place; show the state and the output.
    await run("apply (replace tainted)", wd, ["apply", "-auto-approve", "-no-color"]);
    await run("refresh", wd, ["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    await run("plan", wd, ["plan", "-no-color", "-detailed-exitcode"]);
    await wd.writeConfig(config("Inactive"));
    await run("apply (update)", wd, ["apply", "-auto-approve", "-no-color"]);
    await run("show", wd, ["show", "-no-color"]);
    await run("state show", wd, ["state", "show", "-no-color", `${CRED}.cc`]);
    await run("output", wd, ["output", "-no-color"]);
    // Import into a second directory, by CLI id; and a failed import (a diagnostic).
    const state = await wd.showState();
    const cc = stateCredentials(state).find((c) => c.address === `${CRED}.cc`)!;
    await importDir.writeConfig(config("Inactive").replace(/output "password" \{[\s\S]*\}\n$/, ""));
    await run("import", importDir, ["import", "-no-color", "aws_iam_user.u", "leak-check"]);
    await run("import", importDir, ["import", "-no-color", `${CRED}.cc`, `codecommit.amazonaws.com:leak-check:${cc.id}`]);
    await run("import (bad id)", importDir, ["import", "-no-color", `${CRED}.key`, "bedrock.amazonaws.com:leak-check"], [1]);
    // Destroy.
    await run("destroy", wd, ["destroy", "-auto-approve", "-no-color"]);
    expect((await lab.control.state()).credentials).toEqual([]);

    // The secrets are real and were all seen: 3 created first, 1 replacement.
    expect(secrets.size).toBe(4);
    expect(typeof cc.password).toBe("string");
    expect(secrets.has(cc.password as string)).toBe(true);
    const logText = readFileSync(log, "utf8");
    // The log really is at trace level, from Terraform and from the provider and the AWS SDK.
    expect(logText).toMatch(/\[TRACE\]/);
    expect(logText).toMatch(/provider\.terraform-provider-aws.*received request/);
    expect(logText).toMatch(/CreateServiceSpecificCredentialCommand/);

    const leaks: string[] = [];
    for (const secret of [...secrets, AWS_SECRET, AWS_TOKEN]) {
      const label = secret === AWS_SECRET ? "AWS secret key" : secret === AWS_TOKEN ? "session token" : `secret ${secret.slice(0, 3)}…`;
      if (logText.includes(secret)) leaks.push(`${label} in the log file`);
      for (const { step, result } of outputs) {
        if (result.stdout.includes(secret)) leaks.push(`${label} in the stdout of ${step}`);
        if (result.stderr.includes(secret)) leaks.push(`${label} in the stderr of ${step}`);
      }
    }
    expect(leaks).toEqual([]);
    console.log(
      `[no-leak] ${secrets.size} secrets + AWS key + token checked against ${outputs.length} commands' output and ${(logText.length / 1e6).toFixed(1)} MB of trace log: none found`,
    );
  });
});
