/**
 * What every operation handler receives, and the user look-ups they share.
 */
import type { Clock } from "./clock.ts";
import { noSuchUser, validationError } from "./iam-errors.ts";
import type { IamState, SessionRecord, UserRecord } from "./iam-state.ts";
import type { Profile } from "./profiles.ts";
import type { QueryParams, ServiceId } from "./query-protocol.ts";
import type { XmlObject } from "./xml-writer.ts";

/** Who signed the request, as far as the emulator can tell. */
export type Caller =
  | { kind: "root"; accessKeyId: string }
  | { kind: "user"; accessKeyId: string; user: UserRecord }
  | { kind: "assumed-role"; accessKeyId: string; session: SessionRecord };

export interface OperationContext {
  params: QueryParams;
  state: IamState;
  profile: Profile;
  accountId: string;
  clock: Clock;
  /** Read once per request so that one response never mixes two instants. */
  now: Date;
  caller: Caller;
  /** Pages hold at most this many items whatever MaxItems says (set through the control API). */
  pageSizeLimit?: number;
}

/** Returns the XML of the `<Action>Result` element, or undefined for operations without output. */
export type OperationHandler = (ctx: OperationContext) => XmlObject | undefined;

export interface OperationDefinition {
  service: ServiceId;
  handler: OperationHandler;
  /** Called without a signature (the request itself carries the credential). */
  unsigned?: boolean;
}

export function requireUser(ctx: OperationContext, name: string): UserRecord {
  const user = ctx.state.findUser(name);
  if (!user) throw noSuchUser(name);
  return user;
}

/**
 * Operations whose UserName is optional act on the signing user when it is omitted; IAM
 * refuses that for callers that are not IAM users.
 */
export function targetUser(ctx: OperationContext, name: string | undefined): UserRecord {
  if (name !== undefined) return requireUser(ctx, name);
  if (ctx.caller.kind === "user") {
    // The key may outlive a rename of its user; the record is shared, so it is current.
    return ctx.caller.user;
  }
  throw validationError("Must specify userName when calling with non-User credentials");
}
