import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteServiceSpecificCredentialCommand,
  ListServiceSpecificCredentialsCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateServiceSpecificCredentialCommand,
  type IAMClient,
  type ListServiceSpecificCredentialsCommandInput,
} from "@aws-sdk/client-iam";
import { Agent, request } from "node:http";
import { describe, expect, test } from "vitest";
import { control, failure, useEmulator } from "./support.ts";

const env = useEmulator();
const CODECOMMIT = "codecommit.amazonaws.com";
const BEDROCK = "bedrock.amazonaws.com";
const DAY_MS = 24 * 60 * 60 * 1000;
const RAW_AUTH = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0";

async function user(iam: IAMClient, name: string): Promise<void> {
  await iam.send(new CreateUserCommand({ UserName: name }));
}

async function create(iam: IAMClient, userName: string, serviceName: string, credentialAgeDays?: number) {
  const out = await iam.send(
    new CreateServiceSpecificCredentialCommand({ UserName: userName, ServiceName: serviceName, CredentialAgeDays: credentialAgeDays }),
  );
  return out.ServiceSpecificCredential!;
}

async function list(iam: IAMClient, input: ListServiceSpecificCredentialsCommandInput) {
  return iam.send(new ListServiceSpecificCredentialsCommand(input));
}

describe("CreateServiceSpecificCredential", () => {
  test("codecommit gets a service user name and a password", async () => {
    await user(env.iam, "alice");
    const c = await create(env.iam, "alice", CODECOMMIT);
    expect(c.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z0-9]{17}$/);
    expect(c.ServiceUserName).toBe("alice-at-123456789012");
    expect(c.ServicePassword).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(c.ServiceName).toBe(CODECOMMIT);
    expect(c.UserName).toBe("alice");
    expect(c.Status).toBe("Active");
    expect(c.CreateDate).toBeInstanceOf(Date);
    expect(c.CreateDate!.getTime() % 1000).toBe(0);
    expect(c.ServiceCredentialAlias).toBeUndefined();
    expect(c.ServiceCredentialSecret).toBeUndefined();
    expect(c.ExpirationDate).toBeUndefined();
  });

  test("bedrock gets an alias, a secret and an expiration date from CredentialAgeDays", async () => {
    await user(env.iam, "alice");
    const c = await create(env.iam, "alice", BEDROCK, 30);
    expect(c.ServiceCredentialAlias).toBe("alice+1-at-123456789012");
    expect(c.ServiceCredentialSecret!.length).toBeGreaterThan(60);
    expect(c.ServicePassword).toBeUndefined();
    expect(c.ServiceUserName).toBeUndefined();
    expect(c.ExpirationDate!.getTime() - c.CreateDate!.getTime()).toBe(30 * DAY_MS);
    const second = await create(env.iam, "alice", BEDROCK);
    expect(second.ServiceCredentialAlias).toBe("alice+2-at-123456789012");
    expect(second.ExpirationDate).toBeUndefined();
    const logs = await create(env.iam, "alice", "logs.amazonaws.com", 1);
    expect(logs.ServiceCredentialSecret).toBeTruthy();
  });

  test("a third credential for the same user and service exceeds the quota", async () => {
    await user(env.iam, "alice");
    await create(env.iam, "alice", CODECOMMIT);
    await create(env.iam, "alice", CODECOMMIT);
    const error = await failure(create(env.iam, "alice", CODECOMMIT));
    expect(error.name).toBe("LimitExceededException");
    expect(error.Code).toBe("LimitExceeded");
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(error.message).toBe("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2");
    // The quota is per service and per user.
    await create(env.iam, "alice", "cassandra.amazonaws.com");
    await user(env.iam, "bob");
    await create(env.iam, "bob", CODECOMMIT);
  });

  test("an unknown user is NoSuchEntity 404", async () => {
    const error = await failure(create(env.iam, "ghost", CODECOMMIT));
    expect(error.name).toBe("NoSuchEntityException");
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe("The user with name ghost cannot be found.");
  });

  test("an unsupported service is NoSuchEntity 404, as real IAM answers", async () => {
    await user(env.iam, "alice");
    const error = await failure(create(env.iam, "alice", "s3.amazonaws.com"));
    expect(error.name).toBe("NoSuchEntityException");
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe("No such service s3.amazonaws.com is supported for Service Specific Credentials");
  });

  test("an invalid user name is a ValidationError 400 in IAM's words", async () => {
    const error = await failure(create(env.iam, "bad name!", CODECOMMIT));
    expect(error.Code).toBe("ValidationError");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      "1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    const tooLong = await failure(create(env.iam, "a".repeat(65), CODECOMMIT));
    expect(tooLong.message).toContain("Member must have length less than or equal to 64");
  });

  test("CredentialAgeDays must be 1–36600 and only for API-key services", async () => {
    await user(env.iam, "alice");
    for (const [days, constraint] of [
      [0, "Member must have value greater than or equal to 1"],
      [36601, "Member must have value less than or equal to 36600"],
    ] as const) {
      const error = await failure(create(env.iam, "alice", BEDROCK, days));
      expect(error.Code).toBe("ValidationError");
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(`1 validation error detected: Value '${days}' at 'credentialAgeDays' failed to satisfy constraint: ${constraint}`);
    }
    const max = await create(env.iam, "alice", BEDROCK, 36600);
    expect(max.ExpirationDate).toBeInstanceOf(Date);
    const codecommit = await failure(create(env.iam, "alice", CODECOMMIT, 30));
    expect(codecommit.Code).toBe("ValidationError");
    expect(codecommit.$metadata.httpStatusCode).toBe(400);
    expect(codecommit.message).toBe("CredentialAgeDays is not supported for service codecommit.amazonaws.com.");
  });
});

describe("ListServiceSpecificCredentials", () => {
  test("user names match regardless of case, and answers carry the stored spelling (as IAM does)", async () => {
    await user(env.iam, "Alice");
    const c = await create(env.iam, "ALICE", CODECOMMIT);
    expect(c.UserName).toBe("Alice");
    expect(c.ServiceUserName).toBe("Alice-at-123456789012");
    const listed = await list(env.iam, { UserName: "alice", ServiceName: CODECOMMIT });
    expect(listed.ServiceSpecificCredentials?.map((x) => [x.UserName, x.ServiceSpecificCredentialId])).toEqual([["Alice", c.ServiceSpecificCredentialId]]);
    await env.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: "aLiCe", ServiceSpecificCredentialId: c.ServiceSpecificCredentialId! }));
    expect((await list(env.iam, { UserName: "Alice", ServiceName: CODECOMMIT })).ServiceSpecificCredentials).toEqual([]);
  });

  test("lists metadata without passwords or secrets, filtered by service", async () => {
    await user(env.iam, "alice");
    const cc = await create(env.iam, "alice", CODECOMMIT);
    const br = await create(env.iam, "alice", BEDROCK, 5);
    const all = await list(env.iam, { UserName: "alice" });
    expect(all.$metadata.httpStatusCode).toBe(200);
    expect(all.IsTruncated).toBe(false);
    expect(all.Marker).toBeUndefined();
    expect(all.ServiceSpecificCredentials!.map((c) => c.ServiceSpecificCredentialId)).toEqual([cc.ServiceSpecificCredentialId, br.ServiceSpecificCredentialId]);
    for (const c of all.ServiceSpecificCredentials!) {
      expect(c).not.toHaveProperty("ServicePassword");
      expect(c).not.toHaveProperty("ServiceCredentialSecret");
    }
    const bedrockOnly = await list(env.iam, { UserName: "alice", ServiceName: BEDROCK });
    expect(bedrockOnly.ServiceSpecificCredentials).toHaveLength(1);
    expect(bedrockOnly.ServiceSpecificCredentials![0]).toMatchObject({
      ServiceCredentialAlias: "alice+1-at-123456789012",
      ExpirationDate: br.ExpirationDate,
      Status: "Active",
    });
    const none = await list(env.iam, { UserName: "alice", ServiceName: "cassandra.amazonaws.com" });
    expect(none.ServiceSpecificCredentials).toEqual([]);
  });

  test("pages with MaxItems and Marker", async () => {
    await user(env.iam, "alice");
    const first = await create(env.iam, "alice", CODECOMMIT);
    const second = await create(env.iam, "alice", CODECOMMIT);
    const page1 = await list(env.iam, { UserName: "alice", ServiceName: CODECOMMIT, MaxItems: 1 });
    expect(page1.IsTruncated).toBe(true);
    expect(page1.Marker).toBeTruthy();
    expect(page1.ServiceSpecificCredentials!.map((c) => c.ServiceSpecificCredentialId)).toEqual([first.ServiceSpecificCredentialId]);
    const page2 = await list(env.iam, { UserName: "alice", ServiceName: CODECOMMIT, MaxItems: 1, Marker: page1.Marker });
    expect(page2.IsTruncated).toBe(false);
    expect(page2.Marker).toBeUndefined();
    expect(page2.ServiceSpecificCredentials!.map((c) => c.ServiceSpecificCredentialId)).toEqual([second.ServiceSpecificCredentialId]);
  });

  test("AllUsers lists every user's credentials, and cannot be combined with UserName", async () => {
    await user(env.iam, "alice");
    await user(env.iam, "bob");
    await create(env.iam, "alice", CODECOMMIT);
    await create(env.iam, "bob", CODECOMMIT);
    await create(env.iam, "bob", BEDROCK);
    const all = await list(env.iam, { AllUsers: true, ServiceName: CODECOMMIT });
    expect(all.ServiceSpecificCredentials!.map((c) => c.UserName)).toEqual(["alice", "bob"]);
    const both = await failure(list(env.iam, { AllUsers: true, UserName: "alice" }));
    expect(both.Code).toBe("ValidationError");
    expect(both.$metadata.httpStatusCode).toBe(400);
  });

  test("validates MaxItems, Marker, the user and the service", async () => {
    await user(env.iam, "alice");
    for (const [maxItems, constraint] of [
      [0, "greater than or equal to 1"],
      [1001, "less than or equal to 1000"],
    ] as const) {
      const error = await failure(list(env.iam, { UserName: "alice", MaxItems: maxItems }));
      expect(error.Code).toBe("ValidationError");
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${constraint}`,
      );
    }
    const marker = await failure(list(env.iam, { UserName: "alice", Marker: "not-a-marker" }));
    expect(marker.Code).toBe("ValidationError");
    const ghost = await failure(list(env.iam, { UserName: "ghost" }));
    expect(ghost.$metadata.httpStatusCode).toBe(404);
    expect(ghost.message).toBe("The user with name ghost cannot be found.");
    const service = await failure(list(env.iam, { UserName: "alice", ServiceName: "ec2.amazonaws.com" }));
    expect(service.$metadata.httpStatusCode).toBe(404);
    expect(service.message).toBe("No such service ec2.amazonaws.com is supported for Service Specific Credentials");
  });

  test("without UserName a non-user caller is refused", async () => {
    const error = await failure(list(env.iam, {}));
    expect(error.Code).toBe("ValidationError");
    expect(error.message).toBe("Must specify userName when calling with non-User credentials");
  });
});

describe("Update, Reset and Delete", () => {
  test("Update sets Inactive and Active; List reports it", async () => {
    await user(env.iam, "alice");
    const c = await create(env.iam, "alice", CODECOMMIT);
    const id = c.ServiceSpecificCredentialId!;
    const out = await env.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id, Status: "Inactive" }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((await list(env.iam, { UserName: "alice" })).ServiceSpecificCredentials![0]!.Status).toBe("Inactive");
    await env.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id, Status: "Active" }));
    expect((await list(env.iam, { UserName: "alice" })).ServiceSpecificCredentials![0]!.Status).toBe("Active");
  });

  test("Update rejects statuses other than Active and Inactive", async () => {
    await user(env.iam, "alice");
    const c = await create(env.iam, "alice", CODECOMMIT);
    for (const status of ["Expired", "Disabled"]) {
      const error = await failure(
        env.iam.send(
          new UpdateServiceSpecificCredentialCommand({
            UserName: "alice",
            ServiceSpecificCredentialId: c.ServiceSpecificCredentialId,
            Status: status as "Active",
          }),
        ),
      );
      expect(error.Code).toBe("ValidationError");
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
      );
    }
  });

  test("Reset returns a new password and keeps the status", async () => {
    await user(env.iam, "alice");
    const c = await create(env.iam, "alice", CODECOMMIT);
    const id = c.ServiceSpecificCredentialId!;
    await env.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id, Status: "Inactive" }));
    const reset = (await env.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id })))
      .ServiceSpecificCredential!;
    expect(reset.ServicePassword).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(reset.ServicePassword).not.toBe(c.ServicePassword);
    expect(reset.Status).toBe("Inactive");
    expect(reset.ServiceSpecificCredentialId).toBe(id);
    expect(reset.ServiceUserName).toBe(c.ServiceUserName);
    const state = (await control(env.emulator, "GET", "/state")).json;
    expect(state.credentials[0].servicePassword).toBe(reset.ServicePassword);
  });

  test("Delete removes the credential; a second Delete is NoSuchEntity", async () => {
    await user(env.iam, "alice");
    const id = (await create(env.iam, "alice", CODECOMMIT)).ServiceSpecificCredentialId!;
    await env.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id }));
    expect((await list(env.iam, { UserName: "alice" })).ServiceSpecificCredentials).toEqual([]);
    const error = await failure(env.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id })));
    expect(error.name).toBe("NoSuchEntityException");
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe(`No such credential ${id} exists`);
  });

  test("a credential of another user is not found", async () => {
    await user(env.iam, "alice");
    await user(env.iam, "bob");
    const id = (await create(env.iam, "alice", CODECOMMIT)).ServiceSpecificCredentialId!;
    const error = await failure(env.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: "bob", ServiceSpecificCredentialId: id })));
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe(`No such credential ${id} exists`);
  });

  test("credential ids are validated for length and pattern", async () => {
    await user(env.iam, "alice");
    const short = await failure(env.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: "ACCASHORT" })));
    expect(short.Code).toBe("ValidationError");
    expect(short.$metadata.httpStatusCode).toBe(400);
    expect(short.message).toBe(
      "1 validation error detected: Value 'ACCASHORT' at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
    const pattern = await failure(
      env.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: "ACCA-not-a-valid-id-!", Status: "Active" })),
    );
    expect(pattern.message).toBe(
      "1 validation error detected: Value 'ACCA-not-a-valid-id-!' at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+",
    );
    const unknown = await failure(
      env.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: "ghost", ServiceSpecificCredentialId: "ACCAAAAAAAAAAAAAAAAAA" })),
    );
    expect(unknown.message).toBe("The user with name ghost cannot be found.");
  });
});

describe("expiry", () => {
  test("a key past its ExpirationDate is listed as Expired and cannot be re-activated", async () => {
    await user(env.iam, "alice");
    const c = await create(env.iam, "alice", BEDROCK, 2);
    const id = c.ServiceSpecificCredentialId!;
    await control(env.emulator, "POST", "/clock", { advanceDays: 1 });
    expect((await list(env.iam, { UserName: "alice" })).ServiceSpecificCredentials![0]!.Status).toBe("Active");
    await control(env.emulator, "POST", "/clock", { advanceDays: 1 });
    expect((await list(env.iam, { UserName: "alice" })).ServiceSpecificCredentials![0]!.Status).toBe("Expired");
    const error = await failure(
      env.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id, Status: "Active" })),
    );
    expect(error.Code).toBe("ValidationError");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(`The service specific credential ${id} has expired and cannot be activated.`);
    // Deactivating is harmless, and expiry still wins in what List reports.
    await env.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id, Status: "Inactive" }));
    expect((await list(env.iam, { UserName: "alice" })).ServiceSpecificCredentials![0]!.Status).toBe("Expired");
    // New objects are dated by the moved clock.
    const later = await create(env.iam, "alice", BEDROCK);
    expect(later.CreateDate!.getTime() - c.CreateDate!.getTime()).toBeGreaterThanOrEqual(2 * DAY_MS);
  });
});

test("1,000 credentials across 500 users are created, and paged through in 10 full pages", async () => {
  // How fast is `npm run bench`'s business: a wall-clock limit here only fails on a busy machine.
  // Creation goes over plain keep-alive HTTP so that SDK client overhead does not dominate;
  // the listing goes through the SDK to show it parses full pages.
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const call = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        env.emulator.url,
        {
          method: "POST",
          agent,
          headers: { authorization: RAW_AUTH, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const queue = Array.from({ length: 500 }, (_, i) => `user${i}`);
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        statuses.push(await call(`Action=CreateUser&Version=2010-05-08&UserName=${name}`));
        for (let i = 0; i < 2; i++) {
          statuses.push(await call(`Action=CreateServiceSpecificCredential&Version=2010-05-08&UserName=${name}&ServiceName=${CODECOMMIT}`));
        }
      }
    }),
  );
  agent.destroy();
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  const seen = new Set<string>();
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await list(env.iam, { AllUsers: true, Marker: marker, MaxItems: 100 });
    for (const c of page.ServiceSpecificCredentials!) seen.add(c.ServiceSpecificCredentialId!);
    marker = page.IsTruncated ? page.Marker : undefined;
    pages++;
  } while (marker);
  expect(seen.size).toBe(1000);
  expect(pages).toBe(10);
});
