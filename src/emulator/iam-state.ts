/**
 * The emulator's data: users and what hangs off them, indexed so that every lookup a
 * Terraform apply makes (user by name, credential by id, a user's credentials for a service)
 * is a Map access.
 */
import { formatIamDate } from "./xml-writer.ts";

export type CredentialStatus = "Active" | "Inactive" | "Expired";

export interface Tag {
  key: string;
  value: string;
}

export interface AccessKeyRecord {
  id: string;
  secret: string;
  status: "Active" | "Inactive";
  createDate: Date;
  user: UserRecord;
}

export interface LoginProfileRecord {
  createDate: Date;
  passwordResetRequired: boolean;
}

export interface CredentialRecord {
  id: string;
  /** Creation order; paging markers point into it so deletions between pages are harmless. */
  seq: number;
  serviceName: string;
  user: UserRecord;
  status: CredentialStatus;
  createDate: Date;
  expirationDate?: Date;
  serviceUserName?: string;
  servicePassword?: string;
  serviceCredentialAlias?: string;
  serviceCredentialSecret?: string;
}

export interface UserRecord {
  id: string;
  name: string;
  path: string;
  createDate: Date;
  /** Keyed by lower-cased tag key: IAM tag keys are unique regardless of case. */
  tags: Map<string, Tag>;
  permissionsBoundary?: string;
  accessKeys: Map<string, AccessKeyRecord>;
  loginProfile?: LoginProfileRecord;
  /** serviceName → credential id → credential, in creation order. */
  credentials: Map<string, Map<string, CredentialRecord>>;
}

export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  roleArn: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  accountId: string;
}

export interface EmulatorUserSnapshot {
  name: string;
  id: string;
  arn: string;
  path: string;
  createDate: string;
  tags: Record<string, string>;
  permissionsBoundary: string | null;
  accessKeys: string[];
  hasLoginProfile: boolean;
}

export interface EmulatorCredentialSnapshot {
  id: string;
  userName: string;
  serviceName: string;
  /** As List reports it (Expired once the expiration date has passed). */
  status: CredentialStatus;
  /** As last set by Create/Update. */
  storedStatus: CredentialStatus;
  createDate: string;
  expirationDate: string | null;
  serviceUserName: string | null;
  servicePassword: string | null;
  serviceCredentialAlias: string | null;
  serviceCredentialSecret: string | null;
}

export interface EmulatorStateSnapshot {
  profile: string;
  accountId: string;
  now: string;
  users: EmulatorUserSnapshot[];
  credentials: EmulatorCredentialSnapshot[];
  /** Requests received per Action, faulted ones included (tests count retries with it). */
  calls: Record<string, number>;
}

export function userArn(accountId: string, user: UserRecord): string {
  return `arn:aws:iam::${accountId}:user${user.path}${user.name}`;
}

export function effectiveStatus(credential: CredentialRecord, now: Date): CredentialStatus {
  if (credential.expirationDate && now.getTime() >= credential.expirationDate.getTime()) return "Expired";
  return credential.status;
}

export class IamState {
  /** Keyed by lower-cased name: IAM user names are unique regardless of case. */
  readonly users = new Map<string, UserRecord>();
  readonly credentials = new Map<string, CredentialRecord>();
  readonly accessKeys = new Map<string, AccessKeyRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly calls = new Map<string, number>();
  private nextSeq = 1;

  findUser(name: string): UserRecord | undefined {
    return this.users.get(name.toLowerCase());
  }

  addUser(user: UserRecord): void {
    this.users.set(user.name.toLowerCase(), user);
  }

  renameUser(user: UserRecord, newName: string): void {
    this.users.delete(user.name.toLowerCase());
    user.name = newName;
    this.users.set(newName.toLowerCase(), user);
  }

  removeUser(user: UserRecord): void {
    this.users.delete(user.name.toLowerCase());
  }

  addCredential(credential: Omit<CredentialRecord, "seq">): CredentialRecord {
    const record: CredentialRecord = { ...credential, seq: this.nextSeq++ };
    this.credentials.set(record.id, record);
    let byService = record.user.credentials.get(record.serviceName);
    if (!byService) {
      byService = new Map();
      record.user.credentials.set(record.serviceName, byService);
    }
    byService.set(record.id, record);
    return record;
  }

  removeCredential(credential: CredentialRecord): void {
    this.credentials.delete(credential.id);
    const byService = credential.user.credentials.get(credential.serviceName);
    byService?.delete(credential.id);
    if (byService && byService.size === 0) credential.user.credentials.delete(credential.serviceName);
  }

  credentialCount(user: UserRecord): number {
    let count = 0;
    for (const byService of user.credentials.values()) count += byService.size;
    return count;
  }

  addAccessKey(key: AccessKeyRecord): void {
    this.accessKeys.set(key.id, key);
    key.user.accessKeys.set(key.id, key);
  }

  removeAccessKey(key: AccessKeyRecord): void {
    this.accessKeys.delete(key.id);
    key.user.accessKeys.delete(key.id);
  }

  countCall(action: string): void {
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
  }

  clear(): void {
    this.users.clear();
    this.credentials.clear();
    this.accessKeys.clear();
    this.sessions.clear();
    this.calls.clear();
    this.nextSeq = 1;
  }

  snapshot(meta: { profile: string; accountId: string; now: Date }): EmulatorStateSnapshot {
    const users = [...this.users.values()].map(
      (user): EmulatorUserSnapshot => ({
        name: user.name,
        id: user.id,
        arn: userArn(meta.accountId, user),
        path: user.path,
        createDate: formatIamDate(user.createDate),
        tags: Object.fromEntries([...user.tags.values()].map((tag) => [tag.key, tag.value])),
        permissionsBoundary: user.permissionsBoundary ?? null,
        accessKeys: [...user.accessKeys.keys()],
        hasLoginProfile: user.loginProfile !== undefined,
      }),
    );
    const credentials = [...this.credentials.values()].map(
      (c): EmulatorCredentialSnapshot => ({
        id: c.id,
        userName: c.user.name,
        serviceName: c.serviceName,
        status: effectiveStatus(c, meta.now),
        storedStatus: c.status,
        createDate: formatIamDate(c.createDate),
        expirationDate: c.expirationDate ? formatIamDate(c.expirationDate) : null,
        serviceUserName: c.serviceUserName ?? null,
        servicePassword: c.servicePassword ?? null,
        serviceCredentialAlias: c.serviceCredentialAlias ?? null,
        serviceCredentialSecret: c.serviceCredentialSecret ?? null,
      }),
    );
    return {
      profile: meta.profile,
      accountId: meta.accountId,
      now: formatIamDate(meta.now),
      users,
      credentials,
      calls: Object.fromEntries(this.calls),
    };
  }
}
