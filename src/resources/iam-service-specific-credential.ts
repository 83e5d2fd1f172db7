/**
 * aws_iam_service_specific_credential: a CodeCommit or Keyspaces password, or a Bedrock or
 * CloudWatch Logs API key, belonging to an IAM user.
 *
 * IAM shows the password or secret once, in the Create response; this resource stores it at
 * that moment and never lets a read, an update or a failed later step lose it.
 */
import type { Value } from "../values/value.ts";
import { NULL, UNKNOWN, asNumber, isKnown, isNull, known, numberValue, objectValue, stringValue, valuesEqual } from "../values/value.ts";
import type { Resource } from "../framework/resource.ts";
import type { RequestContext } from "../framework/request-context.ts";
import type { PrivateNotes } from "../framework/resource-requests.ts";
import type { Diagnostics } from "../framework/diagnostics.ts";
import { KeyedMutex } from "../framework/keyed-mutex.ts";
import type { IamApi, ServiceSpecificCredential, ServiceSpecificCredentialMetadata } from "../aws/iam-api.ts";
import { outcomeUnknown } from "../aws/iam-api.ts";
import { describeAwsError, isAbort, isLimitExceeded, isNoSuchEntity, isNotSupportedService, isThrottling } from "../aws/aws-errors.ts";
import { PropagationTimeoutError, retryDuringPropagation } from "../aws/propagation-retry.ts";
import { rfc3339 } from "./rfc3339.ts";
import { CreateOutcomeError, CredentialCreation, type CreateInput } from "./credential-create.ts";
import { createBaselines } from "./create-baselines.ts";
import { isValidUserName, sameUserName } from "./iam-user-name.ts";
import { credentialListings } from "./credential-listings.ts";
import { normalizeOfficialCredentialState } from "./official-state.ts";
import { moveFromOfficial } from "./move-from-official.ts";
import type { PgpRecipient } from "./pgp-encryption.ts";
import { PgpKeyError, pgpRecipient } from "./pgp-encryption.ts";
import {
  API_KEY_SERVICES,
  PASSWORD_SERVICES,
  SECRET_ATTRIBUTES,
  SERVICE_NAME_PATTERN,
  SUPPORTED_SERVICES,
  type SecretAttribute,
  credentialAttributes,
  credentialSchema,
  secretTargets,
} from "./iam-service-specific-credential-schema.ts";

const ID_FORMAT = "SERVICE_NAME:USER_NAME:SERVICE_SPECIFIC_CREDENTIAL_ID";
// IAM's pattern for ServiceSpecificCredentialId.
const CREDENTIAL_ID_PATTERN = /^\w{20,128}$/;
const DAY_MS = 86_400_000;
/** Private note: a reset was sent and its answer lost, so the stored password may be stale. */
const RESET_UNCONFIRMED = "resetUnconfirmed";
// Arguments and write-once values a read cannot get from IAM: they carry over from the state.
const CARRIED_BY_READ = ["credential_age_days", "reset_trigger", "early_renewal_days", "pgp_key", ...SECRET_ATTRIBUTES] as const;

// A user has at most two credentials per service, and a create racing another create for the
// same pair can make IAM refuse one of them or, after a lost response, leave a stray. Creates
// for one pair therefore run one at a time within this process, each handing what it listed
// and made to the next (create-baselines.ts).
const createLocks = new KeyedMutex();

export const iamServiceSpecificCredential: Resource<IamApi> = {
  typeName: "aws_iam_service_specific_credential",
  schema: credentialSchema,

  validateConfig({ config }, resp) {
    const diags = resp.diagnostics;
    const configAttrs = credentialAttributes(config);
    const service = configAttrs.string("service_name");
    const age = configAttrs.get("credential_age_days");
    if (service && isKnown(age) && (PASSWORD_SERVICES as readonly string[]).includes(service)) {
      diags.error(
        "credential_age_days does not apply to this service",
        `${service} credentials are passwords, which do not expire. credential_age_days is only for API keys (${API_KEY_SERVICES.join(", ")}); remove it.`,
        ["credential_age_days"],
      );
    }
    const renewal = configAttrs.get("early_renewal_days");
    if (isKnown(renewal)) {
      const days = configAttrs.requireNumber("early_renewal_days");
      if (service && (PASSWORD_SERVICES as readonly string[]).includes(service)) {
        diags.error(
          "early_renewal_days does not apply to this service",
          `${service} credentials are passwords, which do not expire, so there is nothing to renew early. early_renewal_days is only for API keys with credential_age_days; remove it (reset_trigger rotates a password).`,
          ["early_renewal_days"],
        );
      } else if (isNull(age)) {
        diags.error(
          "early_renewal_days needs credential_age_days",
          "Without credential_age_days the API key never expires, so there is nothing to renew early. Set credential_age_days, or remove early_renewal_days.",
          ["early_renewal_days"],
        );
      } else if (isKnown(age) && days >= configAttrs.requireNumber("credential_age_days")) {
        diags.error(
          "early_renewal_days must be smaller than credential_age_days",
          `early_renewal_days = ${days} is not smaller than credential_age_days = ${asNumber(age)}: every plan would fall within the renewal window and replace the key again.`,
          ["early_renewal_days"],
        );
      }
    }
  },

  async beforePlan({ prior, config, client, signal }, resp) {
    const diags = resp.diagnostics;
    // An unusable key is refused before anything is created (create uses the same parsed key).
    const pgpKey = credentialAttributes(config).string("pgp_key");
    if (pgpKey !== undefined) {
      try {
        await pgpRecipient(pgpKey);
      } catch (err) {
        if (!(err instanceof PgpKeyError)) throw err;
        diags.error("Invalid pgp_key", err.message, ["pgp_key"]);
      }
    }
    // The renewal window is judged by IAM's clock. A plan that refreshed has heard from IAM
    // already; otherwise (-refresh=false, or the apply's own plan) one listing asks for the time.
    if (client && !client.iamTime() && renewalWindow(prior, config)) {
      const priorAttrs = credentialAttributes(prior);
      const userName = priorAttrs.string("user_name");
      const serviceName = priorAttrs.string("service_name");
      const id = priorAttrs.string("service_specific_credential_id");
      // Only a hint for the clock: a state without these is left to read and plan to report.
      if (userName && serviceName && id) {
        await credentialListings(client)
          .find(userName, serviceName, id, signal)
          .catch(() => undefined);
      }
    }
  },

  modifyPlan({ prior, config, client, private: notes }, plan) {
    const diags = plan.diagnostics;
    const priorAttrs = credentialAttributes(prior);
    const configAttrs = credentialAttributes(config);
    const service = configAttrs.string("service_name");
    if (service && !SUPPORTED_SERVICES.includes(service)) {
      diags.warning(
        "Service name not known to this provider",
        `${JSON.stringify(service)} is not one of the services IAM is known to issue service-specific credentials for: ${SUPPORTED_SERVICES.join(", ")}. If AWS has added it, the apply will work; otherwise IAM will refuse it.`,
        ["service_name"],
      );
    }
    if (isNull(prior)) return;

    // The same IAM user spelled differently (after an import by another spelling): update the
    // state's spelling in place instead of replacing the credential.
    const priorUser = priorAttrs.string("user_name");
    const configUser = configAttrs.string("user_name");
    if (priorUser !== configUser && sameUserName(priorUser, configUser)) {
      const at = plan.requiresReplace.findIndex((p) => p.length === 1 && p[0] === "user_name");
      if (at >= 0) plan.requiresReplace.splice(at, 1);
      const credentialId = priorAttrs.string("service_specific_credential_id");
      if (credentialId)
        plan.planned = credentialAttributes(plan.planned).with({ id: known(`${priorAttrs.string("service_name")}:${configUser}:${credentialId}`) });
    }

    // An expired key cannot be made Active again: replace it rather than plan a failing update.
    if (priorAttrs.string("status") === "Expired") {
      plan.requiresReplace.push(["status"]);
      diags.warning(
        "Expired credential will be replaced",
        `IAM reports credential ${priorAttrs.string("service_specific_credential_id")} as Expired (it expired at ${priorAttrs.string("expiration_date")}). An expired key cannot be reactivated, so Terraform will replace it: ` +
          "it deletes the expired key first and then creates a new one, or, with create_before_destroy, creates the new one before deleting the old.",
        ["status"],
      );
    }

    // credential_age_days only shapes the key at creation. Writing down the age an existing key
    // really has (after an import), or dropping the argument, changes nothing in IAM.
    const priorAge = priorAttrs.number("credential_age_days");
    const configAge = configAttrs.get("credential_age_days");
    const realAge = ageInDays(prior);
    const index = plan.requiresReplace.findIndex((p) => p.length === 1 && p[0] === "credential_age_days");
    if (index >= 0 && realAge !== undefined) {
      if (priorAge === undefined && asNumber(configAge) === realAge) plan.requiresReplace.splice(index, 1);
      else if (isNull(configAge) && priorAge !== undefined) {
        plan.requiresReplace.splice(index, 1);
        diags.warning(
          "Removing credential_age_days does not change the expiry",
          `The key still expires at ${priorAttrs.string("expiration_date")}. To get a key that never expires, replace it (terraform apply -replace=...).`,
          ["credential_age_days"],
        );
      }
    }

    // pgp_key set on a credential whose secret the state does not hold (after an import): there
    // is nothing to encrypt, so record the key in place; the next reset encrypts to it.
    const pgpAt = plan.requiresReplace.findIndex((p) => p.length === 1 && p[0] === "pgp_key");
    if (pgpAt >= 0 && priorAttrs.isNull("pgp_key") && SECRET_ATTRIBUTES.every((n) => priorAttrs.isNull(n))) plan.requiresReplace.splice(pgpAt, 1);

    const apiKey = (API_KEY_SERVICES as readonly string[]).includes(priorAttrs.string("service_name") ?? "");
    // reset_trigger on an API key: AWS documents resets for passwords only, so replace the key.
    const priorTrigger = priorAttrs.get("reset_trigger");
    const trigger = credentialAttributes(plan.planned).get("reset_trigger");
    if (apiKey && !isNull(trigger) && !valuesEqual(priorTrigger, trigger)) {
      plan.requiresReplace.push(["reset_trigger"]);
      diags.warning(
        "API key will be replaced, not reset",
        `reset_trigger changed, but ${priorAttrs.string("service_name")} credentials are API keys, and AWS documents ResetServiceSpecificCredential for passwords only. ` +
          "Terraform will replace the key instead: a new key with a new id and secret (with create_before_destroy, created before the old one is deleted).",
        ["reset_trigger"],
      );
    }

    // A reset whose answer was lost: the stored password may be stale, so reset again.
    if (!apiKey && notes?.[RESET_UNCONFIRMED] === true) {
      const renewed: Partial<Record<SecretAttribute, Value>> = {};
      for (const name of secretTargets(plan.planned)) renewed[name] = UNKNOWN;
      plan.planned = credentialAttributes(plan.planned).with(renewed);
      diags.warning(
        "Password will be reset again",
        `The last reset of credential ${priorAttrs.string("service_specific_credential_id")} got no answer, so IAM may have changed its password and the one in the state may no longer work. ` +
          "This apply resets the password again, in place, to store a password that is known to be valid.",
        ["reset_trigger"],
      );
    }

    // early_renewal_days: inside the window before expiry, replace the key.
    const window = renewalWindow(prior, config);
    if (window) {
      const now = client?.iamTime() ?? new Date();
      if (now.getTime() >= window.renewFrom.getTime()) {
        plan.requiresReplace.push(["expiration_date"]);
        plan.planned = credentialAttributes(plan.planned).with({ expiration_date: UNKNOWN });
        diags.warning(
          "API key will be renewed",
          `Credential ${priorAttrs.string("service_specific_credential_id")} expires at ${window.expires}, which is within early_renewal_days = ${window.days} ` +
            `days of now (${rfc3339(now)} by IAM's clock). Terraform will replace it with a new key (with create_before_destroy, created before the old one is deleted).`,
          ["early_renewal_days"],
        );
      }
    }
  },

  async create({ planned, ...ctx }, resp) {
    const diags = resp.diagnostics;
    const plannedAttrs = credentialAttributes(planned);
    const userName = plannedAttrs.requireString("user_name");
    const serviceName = plannedAttrs.requireString("service_name");
    const age = plannedAttrs.number("credential_age_days");
    const wantStatus = plannedAttrs.string("status") ?? "Active";
    // Read the key before IAM makes a secret that could then not be stored.
    const recipient = await plannedRecipient(planned, diags, "No credential was created.");
    if (recipient === UNUSABLE_KEY) return;

    const input: CreateInput = { userName, serviceName, ...(age !== undefined ? { credentialAgeDays: age } : {}) };
    const created = await createCredential(input, ctx, diags);
    if (!created) return;
    const secrets = await createdSecrets(created, recipient, userName, diags);
    const configured = { credential_age_days: numberValue(age), ...plannedAttrs.pick(["reset_trigger", "early_renewal_days", "pgp_key"]) };
    const state = stateFromCredential(created, { ...configured, ...secrets }, userName);
    if (diags.hasErrors()) {
      resp.state = state;
      return;
    }
    ctx.logger.info("created service-specific credential", {
      tf_credential_id: created.ServiceSpecificCredentialId,
      user_name: userName,
      service_name: serviceName,
    });
    resp.state = await setPlannedStatus(state, created, input, wantStatus, ctx, diags);
  },

  async read({ state, afterImport, afterCreate, ...ctx }, resp) {
    const diags = resp.diagnostics;
    const stateAttrs = credentialAttributes(state);
    const userName = stateAttrs.string("user_name");
    const serviceName = stateAttrs.string("service_name");
    const id = stateAttrs.string("service_specific_credential_id");
    if (!userName || !serviceName || !id) {
      resp.state = NULL;
      return;
    }
    const api = ctx.client;
    const listings = credentialListings(api);
    let found: ServiceSpecificCredentialMetadata | undefined;
    try {
      const lookup = async () => {
        const c = await listings.find(userName, serviceName, id, ctx.signal);
        if (!c && afterCreate) throw new NotYetVisible();
        return c;
      };
      // A credential created moments ago may not be listed yet: until it has been seen once,
      // "not found" means "wait", not "deleted".
      found = afterCreate
        ? await retryDuringPropagation(lookup, (err) => err instanceof NotYetVisible || isNoSuchEntity(err), {
            timeoutMs: api.settings.propagationTimeoutMs,
            signal: ctx.signal,
          })
        : await lookup();
    } catch (err) {
      const cause = err instanceof PropagationTimeoutError ? err.lastError : err;
      if (isNoSuchEntity(cause) || cause instanceof NotYetVisible) found = undefined;
      else {
        diags.error(
          "Could not read the service-specific credential",
          `Listing ${serviceName} credentials of user ${userName} failed: ${describeAwsError(err)}`,
        );
        return;
      }
    }
    if (!found && !afterImport && !afterCreate) {
      // One answer can be wrong (a stale replica, a glitch): dropping a live credential loses its
      // secret and makes the next apply orphan it. IAM must say so twice.
      try {
        found = await confirmedMissing(api, userName, serviceName, id, ctx);
      } catch (err) {
        diags.error(
          "Could not read the service-specific credential",
          `Checking whether ${serviceName} credential ${id} of user ${userName} still exists failed: ${describeAwsError(err)}`,
        );
        return;
      }
    }
    if (!found) {
      if (afterImport) {
        diags.error(
          "Cannot import non-existent credential",
          `IAM has no ${serviceName} credential ${id} for user ${userName}. Check the import id (${ID_FORMAT}).`,
        );
      } else {
        ctx.logger.warn("service-specific credential is gone; removing it from state", {
          tf_credential_id: id,
          user_name: userName,
          service_name: serviceName,
        });
      }
      resp.state = NULL;
      return;
    }
    // Secrets and credential_age_days are never returned again: keep what the state holds.
    let next = stateFromCredential(found, stateAttrs.pick(CARRIED_BY_READ), userName);
    // After an import, record the age the key really has, so a configuration that states it
    // plans no replacement.
    if (afterImport && stateAttrs.isNull("credential_age_days")) {
      const realAge = ageInDays(next);
      if (realAge !== undefined) next = credentialAttributes(next).with({ credential_age_days: numberValue(realAge) });
    }
    resp.state = next;
  },

  async update({ prior, planned, ...ctx }, resp) {
    const diags = resp.diagnostics;
    const priorAttrs = credentialAttributes(prior);
    const plannedAttrs = credentialAttributes(planned);
    const userName = priorAttrs.requireString("user_name");
    const serviceName = priorAttrs.string("service_name");
    const id = priorAttrs.requireString("service_specific_credential_id");
    let next = planned;
    // The plan renews the secret (unknown) exactly when the password is to be reset.
    if (SECRET_ATTRIBUTES.some((n) => plannedAttrs.isUnknown(n))) {
      const reset = await resetPassword(prior, planned, ctx, resp.private, diags);
      if (!reset) return;
      next = plannedAttrs.with(reset);
    }
    const from = priorAttrs.string("status");
    const to = plannedAttrs.string("status");
    if (to && to !== from) {
      try {
        await credentialListings(ctx.client).changing(userName, serviceName, () => ctx.client.updateServiceSpecificCredential(userName, id, to, ctx.signal));
      } catch (err) {
        diags.error("Could not change the credential's status", `Setting credential ${id} of user ${userName} to ${to} failed: ${describeAwsError(err)}`, [
          "status",
        ]);
        // A reset that went through is kept: its password is the valid one now.
        resp.state = credentialAttributes(next).with({ status: priorAttrs.get("status") });
        return;
      }
    }
    resp.state = next;
  },

  async delete({ prior, ...ctx }, resp) {
    const diags = resp.diagnostics;
    const priorAttrs = credentialAttributes(prior);
    const userName = priorAttrs.string("user_name");
    const id = priorAttrs.string("service_specific_credential_id");
    if (!userName || !id) return;
    try {
      await credentialListings(ctx.client).changing(userName, priorAttrs.string("service_name"), () =>
        ctx.client.deleteServiceSpecificCredential(userName, id, ctx.signal),
      );
    } catch (err) {
      if (isNoSuchEntity(err)) return; // already gone is what we wanted
      diags.error("Could not delete the service-specific credential", `Deleting credential ${id} of user ${userName} failed: ${describeAwsError(err)}`);
    }
  },

  importState({ id }, resp) {
    const diags = resp.diagnostics;
    const parts = id.split(":");
    const problem = importIdProblem(parts);
    if (problem) {
      diags.error(
        "Invalid import id",
        `Unexpected import id ${JSON.stringify(id)}: ${problem}. Expected ${ID_FORMAT}, for example codecommit.amazonaws.com:example:ACCAEXAMPLE123EXAMPLE.`,
      );
      return;
    }
    const [serviceName, userName, credentialId] = parts as [string, string, string];
    resp.state = objectValue({
      id: known(id),
      service_name: known(serviceName),
      user_name: known(userName),
      service_specific_credential_id: known(credentialId),
    });
  },

  // The official provider's states, read in drop-in mode or moved in, keep their secrets.
  upgradeState({ state }, resp) {
    resp.state = normalizeOfficialCredentialState(state);
  },
  moveState: moveFromOfficial("aws_iam_service_specific_credential", ({ state }) => normalizeOfficialCredentialState(state)),
};

/** The secret of a Create or Reset answer, in the clear or encrypted to the recipient; every secret attribute is set. */
async function secretValues(c: ServiceSpecificCredential, recipient: PgpRecipient | undefined): Promise<Record<SecretAttribute, Value>> {
  const password = c.ServicePassword || undefined;
  const secret = c.ServiceCredentialSecret || undefined;
  if (!recipient) {
    return {
      service_password: stringValue(password),
      service_credential_secret: stringValue(secret),
      encrypted_service_password: NULL,
      encrypted_service_credential_secret: NULL,
      key_fingerprint: NULL,
    };
  }
  return {
    service_password: NULL,
    service_credential_secret: NULL,
    encrypted_service_password: password === undefined ? NULL : known(await recipient.encrypt(password)),
    encrypted_service_credential_secret: secret === undefined ? NULL : known(await recipient.encrypt(secret)),
    key_fingerprint: known(recipient.fingerprint),
  };
}

/**
 * Makes the credential in IAM, one create at a time per user and service; undefined, with an
 * error, when there is none to store.
 */
async function createCredential(input: CreateInput, ctx: RequestContext<IamApi>, diags: Diagnostics): Promise<ServiceSpecificCredential | undefined> {
  const { userName, serviceName } = input;
  // One creation per resource: it remembers the credentials the user had before the first
  // attempt across the retries below, so a credential made by an unanswered attempt is
  // always recognised (see credential-create.ts).
  const creation = new CredentialCreation(ctx.client, input, ctx.signal, ctx.logger);
  const baselines = createBaselines(ctx.client);
  const createAlone = () =>
    createLocks.run(`${userName}\u0000${serviceName}`, async () => {
      creation.startFrom(baselines.take(userName, serviceName));
      const made = await createOnceUserIsVisible(creation, input, ctx);
      baselines.handOver(userName, serviceName, creation.baselineAfter(made));
      return made;
    });
  try {
    return await credentialListings(ctx.client).changing(userName, serviceName, createAlone);
  } catch (err) {
    if (err instanceof CreateOutcomeError) {
      // Nothing is stored: a credential that appeared may be another process's (credential-create.ts).
      diags.error(err.summary, err.message);
    } else {
      await reportCreateError(err, ctx.client, userName, serviceName, ctx, diags);
    }
    return undefined;
  }
}

/** Creates, waiting while IAM does not show a new user yet (its NoSuchEntity), but not for a service it refuses. */
function createOnceUserIsVisible(creation: CredentialCreation, input: CreateInput, ctx: RequestContext<IamApi>): Promise<ServiceSpecificCredential> {
  const waiting = { timeoutMs: ctx.client.settings.propagationTimeoutMs, signal: ctx.signal };
  return retryDuringPropagation(
    () => creation.create(),
    (err) => isUserNotYetVisible(err, input, ctx),
    waiting,
  );
}

async function isUserNotYetVisible(err: unknown, { userName, serviceName }: CreateInput, ctx: RequestContext<IamApi>): Promise<boolean> {
  return isNoSuchEntity(err) && !(await isServiceRefusal(ctx.client, userName, serviceName, ctx));
}

/** The new credential's secret attributes; all null, with an error, if it could not be encrypted. */
async function createdSecrets(
  created: ServiceSpecificCredential,
  recipient: PgpRecipient | undefined,
  userName: string,
  diags: Diagnostics,
): Promise<Record<string, Value>> {
  try {
    return await secretValues(created, recipient);
  } catch (err) {
    // Not expected (the key was read before the create); the secret is dropped rather than stored in the clear.
    diags.error(
      "Credential created, but its secret could not be encrypted",
      `Credential ${created.ServiceSpecificCredentialId} for user ${userName} was created, but encrypting its secret to pgp_key failed: ${err instanceof Error ? err.message : String(err)}. ` +
        "The secret was not stored. The credential is kept in the state as tainted; the next apply replaces it.",
      ["pgp_key"],
    );
    return Object.fromEntries(SECRET_ATTRIBUTES.map((n) => [n, NULL]));
  }
}

/** Sets the planned status when IAM created the credential with another. */
async function setPlannedStatus(
  state: Value,
  created: ServiceSpecificCredential,
  { userName, serviceName }: CreateInput,
  wantStatus: string,
  ctx: RequestContext<IamApi>,
  diags: Diagnostics,
): Promise<Value> {
  if (wantStatus === (created.Status ?? "Active")) return state;
  const id = created.ServiceSpecificCredentialId!;
  try {
    await credentialListings(ctx.client).changing(userName, serviceName, () =>
      ctx.client.updateServiceSpecificCredential(userName, id, wantStatus, ctx.signal),
    );
    return credentialAttributes(state).with({ status: known(wantStatus) });
  } catch (err) {
    // The credential exists and its secret is only in `state`: hand both back with the error
    // so Terraform stores the object (tainted) instead of losing it.
    diags.error(
      "Credential created, but its status could not be set",
      `Credential ${id} for user ${userName} was created, but setting its status to ${wantStatus} failed: ${describeAwsError(err)}. ` +
        "It is kept in the state as tainted, with its secret; the next apply replaces it.",
      ["status"],
    );
    return state;
  }
}

/**
 * Resets the password (the plan renewed it): the new secret attributes, or undefined with an
 * error. Terraform taints an object only when a create fails; after a failed update it keeps
 * the state the provider returns (terraform's maybeTainted). So when IAM may have acted without
 * the answer arriving, the prior state is kept with an error saying the password may have
 * changed, and a note in the private state makes the next plan reset it again.
 */
async function resetPassword(
  prior: Value,
  planned: Value,
  ctx: RequestContext<IamApi>,
  notes: PrivateNotes,
  diags: Diagnostics,
): Promise<Record<SecretAttribute, Value> | undefined> {
  const priorAttrs = credentialAttributes(prior);
  const userName = priorAttrs.requireString("user_name");
  const serviceName = priorAttrs.string("service_name");
  const id = priorAttrs.requireString("service_specific_credential_id");
  const recipient = await plannedRecipient(planned, diags, "The password was not reset.");
  if (recipient === UNUSABLE_KEY) return undefined;
  let answer: ServiceSpecificCredential;
  try {
    answer = await credentialListings(ctx.client).changing(userName, serviceName, () => ctx.client.resetServiceSpecificCredential(userName, id, ctx.signal));
  } catch (err) {
    if (outcomeUnknown(err) || ctx.signal.aborted || isAbort(err)) {
      notes[RESET_UNCONFIRMED] = true;
      diags.error(
        "Password reset not confirmed: the password may have changed",
        `ResetServiceSpecificCredential for credential ${id} of user ${userName} got no definite answer (${describeAwsError(err)}). IAM may have reset the password, ` +
          "and the new one was only in the lost answer, so the password in the state may no longer work. The state keeps it, and the next plan resets the password again, in place, to get one that is known.",
        ["reset_trigger"],
      );
    } else {
      diags.error(
        "Could not reset the password",
        `ResetServiceSpecificCredential for credential ${id} of user ${userName} failed: ${describeAwsError(err)}. The password is unchanged.`,
        ["reset_trigger"],
      );
    }
    return undefined;
  }
  try {
    const secrets = await secretValues(answer, recipient);
    delete notes[RESET_UNCONFIRMED];
    ctx.logger.info("reset service-specific credential", { tf_credential_id: id, user_name: userName, service_name: serviceName });
    return secrets;
  } catch (err) {
    notes[RESET_UNCONFIRMED] = true;
    diags.error(
      "Password reset, but it could not be encrypted",
      `Credential ${id} of user ${userName} has a new password, but encrypting it to pgp_key failed: ${err instanceof Error ? err.message : String(err)}. It was not stored; the next plan resets the password again.`,
      ["pgp_key"],
    );
    return undefined;
  }
}

/** The renewal window of an existing key whose configuration sets early_renewal_days, if any. */
function renewalWindow(prior: Value, config: Value): { days: number; expires: string; renewFrom: Date } | undefined {
  if (isNull(prior)) return undefined;
  const priorAttrs = credentialAttributes(prior);
  const configAttrs = credentialAttributes(config);
  const days = configAttrs.number("early_renewal_days");
  const expires = priorAttrs.string("expiration_date");
  if (days === undefined || !expires) return undefined;
  const at = Date.parse(expires);
  if (Number.isNaN(at)) return undefined;
  return { days, expires, renewFrom: new Date(at - days * DAY_MS) };
}

/** Why an import id cannot name a credential; caught here, IAM would answer ValidationError or "not found". */
function importIdProblem(parts: string[]): string | undefined {
  if (parts.length !== 3 || parts.some((p) => p === "")) return "it needs exactly three non-empty parts separated by colons";
  const [serviceName, userName, credentialId] = parts as [string, string, string];
  if (parts.some((p) => p.trim() !== p)) return "a part begins or ends with white space";
  if (!SERVICE_NAME_PATTERN.test(serviceName)) return `${JSON.stringify(serviceName)} is not a service name`;
  if (!isValidUserName(userName)) return `${JSON.stringify(userName)} is not a valid IAM user name (letters, digits and + = , . @ _ -, at most 64)`;
  if (!CREDENTIAL_ID_PATTERN.test(credentialId))
    return `${JSON.stringify(credentialId)} is not a credential id (20 to 128 letters, digits or _, such as ACCAEXAMPLE123EXAMPLE)`;
  return undefined;
}

/**
 * After a listing missed the credential (or answered NoSuchEntity): undefined when IAM confirms
 * it is gone (the user does not exist, or a second, fresh listing misses it too), else the
 * credential. Other errors are thrown.
 */
async function confirmedMissing(
  api: IamApi,
  userName: string,
  serviceName: string,
  id: string,
  ctx: RequestContext<IamApi>,
): Promise<ServiceSpecificCredentialMetadata | undefined> {
  try {
    await api.getUser(userName, ctx.signal);
  } catch (err) {
    if (isNoSuchEntity(err)) return undefined;
    throw err;
  }
  try {
    // find() never answers a miss from a shared listing: this is a second listing of its own.
    return await credentialListings(api).find(userName, serviceName, id, ctx.signal);
  } catch (err) {
    if (isNoSuchEntity(err)) return undefined;
    throw err;
  }
}

class NotYetVisible extends Error {
  override readonly name = "NotYetVisible";
  constructor() {
    super("the new credential is not listed yet");
  }
}

/**
 * `userName` is the spelling the plan or state uses. IAM matches user names regardless of case
 * and answers with the stored spelling; keeping ours when they match avoids an "inconsistent
 * result" after apply and a replacement on every plan.
 */
function stateFromCredential(c: ServiceSpecificCredential | ServiceSpecificCredentialMetadata, carried: Record<string, Value>, userName?: string): Value {
  const id = c.ServiceSpecificCredentialId ?? "";
  const full = c as ServiceSpecificCredential;
  const user = sameUserName(c.UserName, userName) ? userName : c.UserName;
  return objectValue({
    id: known(`${c.ServiceName}:${user}:${id}`),
    service_name: stringValue(c.ServiceName),
    user_name: stringValue(user),
    status: stringValue(c.Status ?? "Active"),
    credential_age_days: NULL,
    service_password: stringValue(full.ServicePassword || undefined),
    service_credential_secret: stringValue(full.ServiceCredentialSecret || undefined),
    service_user_name: stringValue(c.ServiceUserName || undefined),
    service_specific_credential_id: known(id),
    service_credential_alias: stringValue(c.ServiceCredentialAlias || undefined),
    create_date: stringValue(rfc3339(c.CreateDate)),
    expiration_date: stringValue(rfc3339(c.ExpirationDate)),
    ...carried,
  });
}

/** Whole days between creation and expiry, when the key has an expiry. */
function ageInDays(state: Value): number | undefined {
  const stateAttrs = credentialAttributes(state);
  const created = Date.parse(stateAttrs.string("create_date") ?? "");
  const expires = Date.parse(stateAttrs.string("expiration_date") ?? "");
  if (Number.isNaN(created) || Number.isNaN(expires)) return undefined;
  return Math.round((expires - created) / DAY_MS);
}

/**
 * IAM answers NoSuchEntity both for an unknown user and for a service it does not issue
 * credentials for. When the user exists, the refusal is about the service and waiting will
 * not help.
 */
async function isServiceRefusal(api: IamApi, userName: string, serviceName: string, ctx: RequestContext<IamApi>): Promise<boolean> {
  if (SUPPORTED_SERVICES.includes(serviceName)) return false;
  try {
    await api.getUser(userName, ctx.signal);
    return true;
  } catch {
    return false;
  }
}

async function reportCreateError(err: unknown, api: IamApi, userName: string, serviceName: string, ctx: RequestContext<IamApi>, diags: Diagnostics) {
  const cause = err instanceof PropagationTimeoutError ? err.lastError : err;
  if (ctx.signal.aborted || isAbort(cause)) {
    diags.error(
      "Interrupted",
      `Creating a ${serviceName} credential for user ${userName} was cancelled because Terraform is stopping, before any credential was created.`,
    );
    return;
  }
  if (isLimitExceeded(cause)) {
    let existing = "";
    try {
      const ids = (await api.listServiceSpecificCredentials(userName, serviceName, ctx.signal)).map((c) => c.ServiceSpecificCredentialId);
      existing = ids.length > 0 ? ` It already has: ${ids.join(", ")}.` : "";
    } catch {
      // The limit message stands on its own.
    }
    // A replacing create does not learn which credential it replaces (Terraform plans it with
    // no prior state), so both cases are described rather than guessed.
    diags.error(
      "Too many service-specific credentials",
      `IAM allows at most two ${serviceName} credentials per user, and user ${userName} has reached that limit.${existing} ` +
        "If this create replaces one of them under lifecycle { create_before_destroy = true }, that one is among those listed: Terraform creates the " +
        "replacement before deleting it, which the limit does not allow; without create_before_destroy the old credential is deleted first and the " +
        "replacement works. Otherwise delete one you no longer need before creating another, or, if one is not managed by any Terraform state, import it.",
      ["service_name"],
    );
    return;
  }
  if (isNotSupportedService(cause) || (isNoSuchEntity(cause) && (await isServiceRefusal(api, userName, serviceName, ctx)))) {
    diags.error(
      "Service not supported for service-specific credentials",
      `IAM does not issue service-specific credentials for ${JSON.stringify(serviceName)}. Supported services: ${SUPPORTED_SERVICES.join(", ")}.`,
      ["service_name"],
    );
    return;
  }
  if (isNoSuchEntity(cause)) {
    const waited = err instanceof PropagationTimeoutError ? ` (waited ${Math.round(err.waitedMs / 1000)}s for IAM to catch up with a new user)` : "";
    diags.error("IAM user not found", `IAM has no user named ${JSON.stringify(userName)}${waited}. Create it first, for example with aws_iam_user.`, [
      "user_name",
    ]);
    return;
  }
  if (isThrottling(cause)) {
    diags.error(
      "AWS kept throttling the request",
      `IAM throttled CreateServiceSpecificCredential for user ${userName} through every retry (max_retries = ${api.settings.maxRetries}). Try again later, lower -parallelism, or raise max_retries.`,
    );
    return;
  }
  diags.error("Could not create the service-specific credential", `Creating a ${serviceName} credential for user ${userName} failed: ${describeAwsError(err)}`);
}

const UNUSABLE_KEY = Symbol("unusable pgp_key");

/**
 * The planned `pgp_key`, read before IAM makes a secret that could then not be stored; an
 * unusable key is an error at pgp_key saying what did not happen.
 */
async function plannedRecipient(planned: Value, diags: Diagnostics, notDone: string): Promise<PgpRecipient | undefined | typeof UNUSABLE_KEY> {
  const pgpKey = credentialAttributes(planned).string("pgp_key");
  if (pgpKey === undefined) return undefined;
  try {
    return await pgpRecipient(pgpKey);
  } catch (err) {
    if (!(err instanceof PgpKeyError)) throw err;
    diags.error("Invalid pgp_key", `${err.message} ${notDone}`, ["pgp_key"]);
    return UNUSABLE_KEY;
  }
}
