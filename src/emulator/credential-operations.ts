/**
 * Create/List/Update/Reset/Delete ServiceSpecificCredential, with real IAM's rules and the
 * localstack profile's deviations.
 */
import { addDays } from "./clock.ts";
import { limitExceeded, noSuchEntity, noSuchUser, validationError } from "./iam-errors.ts";
import { effectiveStatus, type CredentialRecord, type CredentialStatus, type UserRecord } from "./iam-state.ts";
import { newCredentialId, randomBase64 } from "./ids.ts";
import { requireUser, targetUser, type OperationContext, type OperationDefinition } from "./operation-context.ts";
import { decodeMarker, pageSize, takePage } from "./paging.ts";
import type { ServiceInfo } from "./profiles.ts";
import { Validator } from "./validation.ts";
import type { XmlObject } from "./xml-writer.ts";

const CREDENTIAL_AGE_MAX_DAYS = 36600;

function supportedService(ctx: OperationContext, serviceName: string): ServiceInfo {
  const info = ctx.profile.services.get(serviceName);
  // Real IAM (and LocalStack) answer NoSuchEntity here, not the model's NotSupportedService.
  if (!info) throw noSuchEntity(`No such service ${serviceName} is supported for Service Specific Credentials`);
  return info;
}

function credentialXml(ctx: OperationContext, c: CredentialRecord, withSecrets: boolean): XmlObject {
  return {
    CreateDate: c.createDate,
    ExpirationDate: c.expirationDate,
    ServiceName: c.serviceName,
    ServiceUserName: c.serviceUserName,
    ServicePassword: withSecrets ? c.servicePassword : undefined,
    ServiceCredentialAlias: c.serviceCredentialAlias,
    ServiceCredentialSecret: withSecrets ? c.serviceCredentialSecret : undefined,
    ServiceSpecificCredentialId: c.id,
    UserName: c.user.name,
    Status: effectiveStatus(c, ctx.now),
  };
}

function findCredential(ctx: OperationContext, user: UserRecord, id: string): CredentialRecord {
  const credential = ctx.state.credentials.get(id);
  if (!credential || credential.user !== user) throw noSuchEntity(`No such credential ${id} exists`);
  return credential;
}

/** The lowest alias slot the user is not already using for this service. */
function nextAliasSlot(user: UserRecord, serviceName: string): number {
  const used = new Set<number>();
  for (const c of user.credentials.get(serviceName)?.values() ?? []) {
    const slot = /\+(\d+)-at-/.exec(c.serviceCredentialAlias ?? "")?.[1];
    if (slot) used.add(Number(slot));
  }
  let slot = 1;
  while (used.has(slot)) slot++;
  return slot;
}

function apiKeySecret(serviceName: string, alias: string): string {
  const body = Buffer.from(`${alias}:${randomBase64(48)}`, "utf8").toString("base64");
  // Bedrock API keys carry an "ABSK" prefix; logs keys are plain.
  return serviceName === "bedrock.amazonaws.com" ? `ABSK${body}` : body;
}

function createCredential(ctx: OperationContext): XmlObject {
  const { params, profile } = ctx;
  const userName = params.get("UserName");
  const serviceName = params.get("ServiceName");
  const v = new Validator();
  if (v.required("userName", userName)) v.userName("userName", userName);
  v.required("serviceName", serviceName);
  const ageDays = profile.honoursCredentialAgeDays ? v.integer("credentialAgeDays", params.get("CredentialAgeDays"), 1, CREDENTIAL_AGE_MAX_DAYS) : undefined;
  v.throwIfInvalid();

  const user = requireUser(ctx, userName!);
  const service = supportedService(ctx, serviceName!);
  if (ageDays !== undefined && !service.apiKey) {
    throw validationError(`CredentialAgeDays is not supported for service ${serviceName}.`);
  }
  const existing = user.credentials.get(serviceName!)?.size ?? 0;
  const quota = profile.credentialsPerUserPerService;
  if (quota !== undefined && existing >= quota) {
    throw limitExceeded(`Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${quota}`);
  }

  const base = {
    id: newCredentialId(),
    serviceName: serviceName!,
    user,
    status: "Active" as const,
    createDate: ctx.now,
  };
  let credential: CredentialRecord;
  if (service.apiKey) {
    const alias = `${user.name}+${nextAliasSlot(user, serviceName!)}-at-${ctx.accountId}`;
    credential = ctx.state.addCredential({
      ...base,
      expirationDate: ageDays !== undefined ? addDays(ctx.now, ageDays) : undefined,
      serviceCredentialAlias: alias,
      serviceCredentialSecret: apiKeySecret(serviceName!, alias),
    });
  } else {
    credential = ctx.state.addCredential({
      ...base,
      serviceUserName: `${user.name}-at-${ctx.accountId}`,
      servicePassword: profile.newServicePassword(),
    });
  }
  return { ServiceSpecificCredential: credentialXml(ctx, credential, true) };
}

function listCredentials(ctx: OperationContext): XmlObject {
  return ctx.profile.listPaging ? listWithPaging(ctx) : listLocalStackStyle(ctx);
}

function listWithPaging(ctx: OperationContext): XmlObject {
  const { params, state } = ctx;
  const userName = params.get("UserName");
  const serviceName = params.get("ServiceName");
  const marker = params.get("Marker");
  const v = new Validator();
  v.userName("userName", userName);
  const allUsers = v.boolean("allUsers", params.get("AllUsers"));
  v.marker("marker", marker);
  const maxItems = pageSize(v.integer("maxItems", params.get("MaxItems"), 1, 1000), ctx.pageSizeLimit);
  v.throwIfInvalid();
  if (allUsers && userName !== undefined) {
    throw validationError("AllUsers and UserName cannot be specified together.");
  }
  if (serviceName !== undefined) supportedService(ctx, serviceName);

  let candidates: Iterable<CredentialRecord>;
  if (allUsers) {
    // The global map iterates in creation order, which is the paging order.
    candidates = state.credentials.values();
  } else {
    const user = targetUser(ctx, userName);
    if (serviceName !== undefined) {
      candidates = user.credentials.get(serviceName)?.values() ?? [];
    } else {
      candidates = [...user.credentials.values()].flatMap((m) => [...m.values()]).sort((a, b) => a.seq - b.seq);
    }
  }
  const startSeq = marker !== undefined ? Number(decodeMarker(marker)) : 0;
  if (!Number.isInteger(startSeq)) throw validationError("Invalid Marker.");

  function* filtered(): Generator<CredentialRecord> {
    for (const c of candidates) {
      if (c.seq < startSeq) continue;
      if (serviceName !== undefined && c.serviceName !== serviceName) continue;
      yield c;
    }
  }
  const page = takePage(filtered(), maxItems, (c) => String(c.seq));
  return {
    ServiceSpecificCredentials: page.items.map((c) => credentialXml(ctx, c, false)),
    IsTruncated: page.isTruncated,
    Marker: page.marker,
  };
}

// LocalStack looks up UserName and ServiceName unconditionally (a missing one is reported as
// the Python value None), ignores AllUsers/Marker/MaxItems and returns everything at once
// without an IsTruncated element.
function listLocalStackStyle(ctx: OperationContext): XmlObject {
  const userName = ctx.params.get("UserName");
  const serviceName = ctx.params.get("ServiceName");
  if (userName === undefined) throw noSuchUser("None");
  const user = requireUser(ctx, userName);
  supportedService(ctx, serviceName ?? "None");
  const items = [...(user.credentials.get(serviceName!)?.values() ?? [])];
  return { ServiceSpecificCredentials: items.map((c) => credentialXml(ctx, c, false)) };
}

/** Common front of Update/Reset/Delete: validate, then find the user's credential. */
function locateCredential(ctx: OperationContext, v: Validator): CredentialRecord {
  const userName = ctx.params.get("UserName");
  const id = ctx.params.get("ServiceSpecificCredentialId");
  v.userName("userName", userName);
  if (v.required("serviceSpecificCredentialId", id)) v.credentialId("serviceSpecificCredentialId", id);
  v.throwIfInvalid();
  return findCredential(ctx, targetUser(ctx, userName), id!);
}

function updateCredential(ctx: OperationContext): undefined {
  const v = new Validator();
  const status = ctx.params.get("Status");
  if (v.required("status", status)) v.enumValue("status", status, ctx.profile.updatableStatuses);
  const credential = locateCredential(ctx, v);
  if (status === "Active" && effectiveStatus(credential, ctx.now) === "Expired") {
    throw validationError(`The service specific credential ${credential.id} has expired and cannot be activated.`);
  }
  credential.status = status as CredentialStatus;
  return undefined;
}

// Reset is documented for passwords only ("Resets the password…"); the provider assumes it is
// not available for API keys and replaces those instead, so the emulator refuses them.
function resetCredential(ctx: OperationContext): XmlObject {
  const credential = locateCredential(ctx, new Validator());
  if (credential.servicePassword === undefined) {
    throw validationError(`ResetServiceSpecificCredential is not supported for ${credential.serviceName} credentials: only passwords can be reset.`);
  }
  // A new password invalidates the old one at once; the status is kept.
  credential.servicePassword = ctx.profile.newServicePassword();
  return { ServiceSpecificCredential: credentialXml(ctx, credential, true) };
}

function deleteCredential(ctx: OperationContext): undefined {
  ctx.state.removeCredential(locateCredential(ctx, new Validator()));
  return undefined;
}

export const credentialOperations: Record<string, OperationDefinition> = {
  CreateServiceSpecificCredential: { service: "iam", handler: createCredential },
  ListServiceSpecificCredentials: { service: "iam", handler: listCredentials },
  UpdateServiceSpecificCredential: { service: "iam", handler: updateCredential },
  ResetServiceSpecificCredential: { service: "iam", handler: resetCredential },
  DeleteServiceSpecificCredential: { service: "iam", handler: deleteCredential },
};
