/**
 * aws_iam_user after a call whose answer was lost.
 *
 * The SDK repeats CreateUser and UpdateUser after a dropped connection or a server error. When
 * IAM had acted on the first attempt, the repeat is refused: EntityAlreadyExists for a create,
 * NoSuchEntity (the old name is gone) for a rename. Reported as they are, the apply fails and
 * the user is left outside the state, or the state keeps a name that no longer exists and the
 * next apply creates the user again. So after such a failure this module looks, and adopts what
 * the call evidently did, but only with evidence that our call did it:
 *
 *   - Create: GetUser said NoSuchEntity just before our first attempt; the failure followed an
 *     attempt that may have acted (the SDK had repeated the call, or the last attempt had no
 *     answer); and the user now found was created after we asked (allowing the clock skew
 *     SigV4 tolerates) with exactly the path, permissions boundary and tags we asked for.
 *     A user that existed before our create is never adopted: it still fails as "already exists".
 *     Residual risk: someone else creating the same name, with the same path, boundary and
 *     tags, between our GetUser and our create (a second apply of the same configuration) is
 *     taken for ours. IAM has no idempotency token, so the client cannot tell the two apart.
 *   - Rename: the new name now belongs to a user with the prior state's unique_id. Unique ids are
 *     never reused, so that is the same user under the name we asked for: proof, whoever renamed it.
 */
import type { IamApi, Tag, User } from "../aws/iam-api.ts";
import { outcomeUnknown } from "../aws/iam-api.ts";
import { describeAwsError, isEntityAlreadyExists, isNoSuchEntity } from "../aws/aws-errors.ts";
import { PropagationTimeoutError, retryDuringPropagation } from "../aws/propagation-retry.ts";
import type { Logger } from "../logging/logger.ts";

export interface UserRequest {
  userName: string;
  path: string;
  permissionsBoundary?: string;
  tags: Tag[];
}

// SigV4 refuses requests whose clock is further off, so IAM's CreateDate and ours agree within it.
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A user of the requested name appeared after a create without a usable answer, but it does not
 * look like the one we asked for: it was not adopted.
 */
export class UnprovenUserError extends Error {
  override readonly name = "UnprovenUserError";
}

/** CreateUser; after a failure that may hide our own success, the user it evidently made. */
export async function createUserAdoptingLostAnswer(api: IamApi, request: UserRequest, signal: AbortSignal, logger: Logger): Promise<User> {
  const absentBefore = await isAbsent(api, request.userName, signal);
  const askedAt = Date.now();
  try {
    return await api.createUser(request, signal);
  } catch (err) {
    if (!absentBefore || !mayHaveActed(err)) throw err;
    logger.warn("CreateUser ended without a usable answer; checking whether it created the user", {
      user_name: request.userName,
      error: describeAwsError(err),
    });
    // EntityAlreadyExists: it exists, a GetUser may lag behind; else one look.
    const found = await findUser(api, request.userName, signal, isEntityAlreadyExists(err) ? api.settings.propagationTimeoutMs : 0);
    if (!found) throw err;
    const differences = differencesFrom(request, found, askedAt);
    if (differences.length > 0) {
      throw new UnprovenUserError(
        `Creating user ${request.userName} got no usable answer (${describeAwsError(err)}), and a user of that name exists now, but its ` +
          `${differences.join(", ")} ${differences.length === 1 ? "differs" : "differ"} from what this configuration asked for, so it is not taken ` +
          `for the one this apply created. If it is yours, import it: terraform import aws_iam_user.NAME ${request.userName}`,
      );
    }
    logger.warn("the lost CreateUser had created the user; adopting it", { user_name: request.userName, tf_unique_id: found.user.UserId });
    return found.user;
  }
}

/**
 * After UpdateUser renaming `oldName` failed: true when the rename happened anyway, that is
 * the new name belongs to the user with the prior state's unique id.
 */
export async function renameTookEffect(
  api: IamApi,
  err: unknown,
  rename: { oldName: string; newName: string; uniqueId: string | undefined },
  signal: AbortSignal,
  logger: Logger,
): Promise<boolean> {
  if (!rename.uniqueId || rename.oldName === rename.newName || !(isNoSuchEntity(err) || outcomeUnknown(err))) return false;
  logger.warn("UpdateUser (rename) ended without a usable answer; checking whether the user was renamed", {
    user_name: rename.oldName,
    new_user_name: rename.newName,
    error: describeAwsError(err),
  });
  let found: { user: User } | undefined;
  try {
    // NoSuchEntity for the old name: the user moved (or went); the new name may lag behind.
    found = await findUser(api, rename.newName, signal, isNoSuchEntity(err) ? api.settings.propagationTimeoutMs : 0, false);
  } catch (lookErr) {
    logger.warn("could not check whether the user was renamed", { error: describeAwsError(lookErr) });
    return false;
  }
  if (found?.user.UserId !== rename.uniqueId) return false;
  logger.warn("the lost UpdateUser had renamed the user; keeping the new name", { user_name: rename.newName, tf_unique_id: rename.uniqueId });
  return true;
}

/** The failure follows an attempt IAM may have carried out. */
function mayHaveActed(err: unknown): boolean {
  if (outcomeUnknown(err)) return true;
  // A refusal after the SDK repeated the call: an earlier attempt failed without a clear answer.
  const attempts = (err as { $metadata?: { attempts?: number } } | null)?.$metadata?.attempts ?? 1;
  return isEntityAlreadyExists(err) && attempts > 1;
}

async function isAbsent(api: IamApi, userName: string, signal: AbortSignal): Promise<boolean> {
  try {
    await api.getUser(userName, signal);
    return false;
  } catch (err) {
    // Unsure is not absent: without this evidence nothing is adopted later.
    return isNoSuchEntity(err);
  }
}

async function findUser(api: IamApi, userName: string, signal: AbortSignal, waitMs: number, withTags = true): Promise<{ user: User; tags: Tag[] } | undefined> {
  const look = async () => {
    const user = await api.getUser(userName, signal);
    return { user, tags: withTags ? await api.listUserTags(userName, signal) : [] };
  };
  try {
    return waitMs > 0 ? await retryDuringPropagation(look, isNoSuchEntity, { timeoutMs: waitMs, signal }) : await look();
  } catch (err) {
    const cause = err instanceof PropagationTimeoutError ? err.lastError : err;
    if (isNoSuchEntity(cause)) return undefined;
    throw err;
  }
}

function differencesFrom(request: UserRequest, found: { user: User; tags: Tag[] }, askedAt: number): string[] {
  const out: string[] = [];
  const created = found.user.CreateDate?.getTime();
  if (created === undefined || created < askedAt - CLOCK_SKEW_MS) out.push("creation date");
  if ((found.user.Path ?? "/") !== request.path) out.push("path");
  if ((found.user.PermissionsBoundary?.PermissionsBoundaryArn ?? "") !== (request.permissionsBoundary ?? "")) out.push("permissions boundary");
  const tagText = (tags: Tag[]) => JSON.stringify(tags.map((t) => [t.Key ?? "", t.Value ?? ""]).sort());
  if (tagText(found.tags) !== tagText(request.tags)) out.push("tags");
  return out;
}
