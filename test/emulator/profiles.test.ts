import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  ListServiceSpecificCredentialsCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateServiceSpecificCredentialCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, test } from "vitest";
import { failure, useEmulator } from "./support.ts";

const CODECOMMIT = "codecommit.amazonaws.com";

describe("localstack profile", () => {
  const env = useEmulator({ profile: "localstack" });

  async function setUp() {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
  }
  const create = (serviceName: string, credentialAgeDays?: number) =>
    env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "alice", ServiceName: serviceName, CredentialAgeDays: credentialAgeDays }));

  test("supports only codecommit and cassandra; others are NoSuchEntity as LocalStack answers", async () => {
    await setUp();
    await create("cassandra.amazonaws.com");
    for (const service of ["bedrock.amazonaws.com", "logs.amazonaws.com"]) {
      const error = await failure(create(service));
      expect(error.name).toBe("NoSuchEntityException");
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.message).toBe(`No such service ${service} is supported for Service Specific Credentials`);
    }
  });

  test("does not enforce two credentials per service, and ignores CredentialAgeDays", async () => {
    await setUp();
    for (let i = 0; i < 3; i++) await create(CODECOMMIT);
    const withAge = (await create(CODECOMMIT, 99999)).ServiceSpecificCredential!;
    expect(withAge.ExpirationDate).toBeUndefined();
    expect(withAge.ServicePassword).toMatch(/^[A-Za-z0-9+/]{59}=$/);
    expect(withAge.ServiceUserName).toBe("alice-at-123456789012");
    expect(withAge.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z0-9]{17}$/);
  });

  test("List ignores MaxItems and AllUsers and has no IsTruncated", async () => {
    await setUp();
    await create(CODECOMMIT);
    await create(CODECOMMIT);
    const out = await env.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "alice", ServiceName: CODECOMMIT, MaxItems: 1, AllUsers: false }));
    expect(out.ServiceSpecificCredentials).toHaveLength(2);
    expect(out.IsTruncated).toBeUndefined();
    expect(out.Marker).toBeUndefined();
  });

  test("List needs both UserName and ServiceName", async () => {
    await setUp();
    const noUser = await failure(env.iam.send(new ListServiceSpecificCredentialsCommand({ ServiceName: CODECOMMIT })));
    expect(noUser.$metadata.httpStatusCode).toBe(404);
    expect(noUser.message).toBe("The user with name None cannot be found.");
    const noService = await failure(env.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "alice" })));
    expect(noService.$metadata.httpStatusCode).toBe(404);
    expect(noService.message).toBe("No such service None is supported for Service Specific Credentials");
  });

  test("Update accepts Expired, and Reset keeps it", async () => {
    await setUp();
    const id = (await create(CODECOMMIT)).ServiceSpecificCredential!.ServiceSpecificCredentialId!;
    await env.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id, Status: "Expired" }));
    const listed = await env.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "alice", ServiceName: CODECOMMIT }));
    expect(listed.ServiceSpecificCredentials![0]!.Status).toBe("Expired");
    const reset = await env.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id }));
    expect(reset.ServiceSpecificCredential!.Status).toBe("Expired");
    const bogus = await failure(
      env.iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: id, Status: "Bogus" as "Active" })),
    );
    expect(bogus.Code).toBe("ValidationError");
    expect(bogus.$metadata.httpStatusCode).toBe(400);
  });

  test("the state endpoint names the profile", () => {
    expect(env.emulator.state().profile).toBe("localstack");
  });
});

describe("aws profile (the default) for contrast", () => {
  const env = useEmulator();

  test("List without ServiceName lists all of the user's services", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
    await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "alice", ServiceName: CODECOMMIT }));
    await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "alice", ServiceName: "bedrock.amazonaws.com" }));
    const out = await env.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "alice" }));
    expect(out.ServiceSpecificCredentials).toHaveLength(2);
    expect(out.IsTruncated).toBe(false);
  });
});
