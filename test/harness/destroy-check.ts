/** After destroy: asks the IAM API itself whether any object the test created is still there. */
import { GetUserCommand, ListServiceSpecificCredentialsCommand } from "@aws-sdk/client-iam";
import type { AcceptanceTarget } from "./acceptance-target.ts";

export interface SeenObject {
  type: string;
  values: Record<string, unknown>;
}

export async function assertNothingLeft(target: AcceptanceTarget, seen: readonly SeenObject[]): Promise<void> {
  const iam = target.iam();
  const left: string[] = [];
  for (const object of seen) {
    if (object.type === "aws_iam_user") {
      const name = String(object.values.name);
      try {
        await iam.send(new GetUserCommand({ UserName: name }));
        left.push(`aws_iam_user ${name}`);
      } catch (err) {
        if ((err as Error).name !== "NoSuchEntityException") throw err;
      }
    } else if (object.type === "aws_iam_service_specific_credential") {
      const { user_name: user, service_name: service, service_specific_credential_id: id } = object.values;
      try {
        const out = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: String(user), ServiceName: String(service) }));
        if (out.ServiceSpecificCredentials?.some((c) => c.ServiceSpecificCredentialId === id)) left.push(`credential ${String(id)} of ${String(user)}`);
      } catch (err) {
        if ((err as Error).name !== "NoSuchEntityException") throw err;
      }
    }
  }
  if (left.length > 0) throw new Error(`destroy left objects behind: ${left.join(", ")}`);
}
