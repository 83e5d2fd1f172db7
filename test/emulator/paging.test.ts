// The control API's page-size limit: List answers pages no larger than it (as IAM may, whatever
// MaxItems says), the markers lead through every item once, in creation order, and reset lifts it.
import { CreateServiceSpecificCredentialCommand, CreateUserCommand, ListServiceSpecificCredentialsCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { describe, expect, test } from "vitest";
import { control, useEmulator } from "./support.ts";

const env = useEmulator();

async function userWithCredentials(name: string, services: string[]): Promise<string[]> {
  await env.iam.send(new CreateUserCommand({ UserName: name }));
  const ids: string[] = [];
  for (const service of services) {
    const out = await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: name, ServiceName: service }));
    ids.push(out.ServiceSpecificCredential!.ServiceSpecificCredentialId!);
  }
  return ids;
}

async function pages(input: { UserName: string; ServiceName?: string; MaxItems?: number }): Promise<{ ids: string[][]; truncated: boolean[] }> {
  const ids: string[][] = [];
  const truncated: boolean[] = [];
  let marker: string | undefined;
  do {
    const out = await env.iam.send(new ListServiceSpecificCredentialsCommand({ ...input, ...(marker ? { Marker: marker } : {}) }));
    ids.push((out.ServiceSpecificCredentials ?? []).map((c) => c.ServiceSpecificCredentialId!));
    truncated.push(out.IsTruncated ?? false);
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return { ids, truncated };
}

describe("page-size limit", () => {
  test("ListServiceSpecificCredentials pages by the limit, with or without a service filter, below a larger MaxItems", async () => {
    const ids = await userWithCredentials("pager", [
      "codecommit.amazonaws.com",
      "bedrock.amazonaws.com",
      "codecommit.amazonaws.com",
      "logs.amazonaws.com",
      "cassandra.amazonaws.com",
    ]);
    expect((await control(env.emulator, "POST", "/paging", { maxItems: 2 })).json).toEqual({ maxItems: 2 });
    expect((await control(env.emulator, "GET", "/paging")).json).toEqual({ maxItems: 2 });

    const all = await pages({ UserName: "pager", MaxItems: 50 });
    expect(all.ids).toEqual([[ids[0], ids[1]], [ids[2], ids[3]], [ids[4]]]);
    expect(all.truncated).toEqual([true, true, false]);

    const codecommit = await pages({ UserName: "pager", ServiceName: "codecommit.amazonaws.com" });
    expect(codecommit.ids).toEqual([[ids[0], ids[2]]]);
    // A smaller MaxItems still wins.
    expect((await pages({ UserName: "pager", ServiceName: "codecommit.amazonaws.com", MaxItems: 1 })).ids).toEqual([[ids[0]], [ids[2]]]);
  });

  test("ListUsers follows it too, and reset lifts it", async () => {
    for (const name of ["u1", "u2", "u3"]) await env.iam.send(new CreateUserCommand({ UserName: name }));
    await control(env.emulator, "POST", "/paging", { maxItems: 1 });
    const first = await env.iam.send(new ListUsersCommand({}));
    expect(first.Users?.map((u) => u.UserName)).toEqual(["u1"]);
    expect(first.IsTruncated).toBe(true);

    await control(env.emulator, "POST", "/reset");
    expect((await control(env.emulator, "GET", "/paging")).json).toEqual({ maxItems: null });
    await userWithCredentials("after", ["codecommit.amazonaws.com", "logs.amazonaws.com"]);
    expect((await pages({ UserName: "after" })).truncated).toEqual([false]);
  });

  test("null lifts it; anything but a whole number from 1 to 1000 is refused", async () => {
    await control(env.emulator, "POST", "/paging", { maxItems: 3 });
    expect((await control(env.emulator, "POST", "/paging", { maxItems: null })).json).toEqual({ maxItems: null });
    for (const bad of [0, 1001, 2.5, "2"]) {
      const r = await control(env.emulator, "POST", "/paging", { maxItems: bad });
      expect(r.status, String(bad)).toBe(400);
      expect(r.json.error).toContain("maxItems");
    }
    expect((await control(env.emulator, "POST", "/paging", {})).status).toBe(400);
  });
});
