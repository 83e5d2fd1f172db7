/** Names unique per run, so suites can share one endpoint (LocalStack) without colliding. */
import { randomBytes } from "node:crypto";

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}
