/**
 * Every Query action the emulator answers, by name.
 */
import { accessKeyOperations } from "./access-key-operations.ts";
import { credentialOperations } from "./credential-operations.ts";
import { loginProfileOperations } from "./login-profile-operations.ts";
import type { OperationDefinition } from "./operation-context.ts";
import { stsOperations } from "./sts-operations.ts";
import { userOperations } from "./user-operations.ts";

export const operations: ReadonlyMap<string, OperationDefinition> = new Map(
  Object.entries({
    ...credentialOperations,
    ...userOperations,
    ...accessKeyOperations,
    ...loginProfileOperations,
    ...stsOperations,
  }),
);
