import { request, Agent } from "node:http";
import { afterEach, expect, test, vi } from "vitest";
import { MAX_BODY_BYTES } from "../../src/emulator/index.ts";
import type { OperationDefinition } from "../../src/emulator/operation-context.ts";
import { operations } from "../../src/emulator/operation-registry.ts";
import { useEmulator } from "./support.ts";

const env = useEmulator();
const AUTH = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";

function post(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
  return fetch(env.emulator.url, {
    method: "POST",
    headers: { authorization: AUTH, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: typeof body === "string" ? body : new Blob([body]),
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

test("responses are text/xml with the request id in header and body", async () => {
  const response = await post("Action=ListUsers&Version=2010-05-08");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/xml");
  const text = await response.text();
  const requestId = response.headers.get("x-amzn-requestid")!;
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(text).toContain(`<RequestId>${requestId}</RequestId>`);
  expect(text).toContain(
    '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users></Users><IsTruncated>false</IsTruncated>',
  );
});

test("unknown actions are InvalidAction 400, and STS actions need the STS version", async () => {
  const unknown = await post("Action=Frobnicate&Version=2010-05-08");
  expect(unknown.status).toBe(400);
  const text = await unknown.text();
  expect(text).toContain("<Code>InvalidAction</Code>");
  expect(text).toContain("<Message>Could not find operation Frobnicate for version 2010-05-08</Message>");
  const wrongVersion = await post("Action=GetCallerIdentity&Version=2010-05-08");
  expect(wrongVersion.status).toBe(400);
  const sts = await post("Action=AssumeRole&Version=2011-06-15");
  expect(sts.status).toBe(400);
  const stsText = await sts.text();
  expect(stsText).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
  expect(stsText).toContain("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
});

test("malformed bodies are answered, never crash the server", async () => {
  const garbage = await post(new Uint8Array([0xff, 0x00, 0x26, 0x3d, 0x25, 0xc3, 0x28]));
  expect(garbage.status).toBe(400);
  expect(await garbage.text()).toContain("<Code>MissingAction</Code>");
  const weird = await post("Action=CreateUser&Version=2010-05-08&UserName=%E0%A4%A&Tags.member.1.Key=&Tags.member.x.Value=1");
  expect(weird.status).toBe(400);
  expect(await weird.text()).toContain("<Code>ValidationError</Code>");
  const empty = await post("");
  expect(empty.status).toBe(400);
  expect((await post("Action=ListUsers&Version=2010-05-08")).status).toBe(200);
});

test("the GET form of the Query protocol works too", async () => {
  const response = await fetch(`${env.emulator.url}/?Action=GetCallerIdentity&Version=2011-06-15`, { headers: { authorization: AUTH } });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain("<Arn>arn:aws:iam::123456789012:root</Arn>");
});

test("bodies over 1 MiB get 413, declared or streamed", async () => {
  const huge = `Action=ListUsers&Version=2010-05-08&Pad=${"x".repeat(MAX_BODY_BYTES)}`;
  const declared = await post(huge);
  expect(declared.status).toBe(413);
  expect(await declared.text()).toContain("<Code>RequestEntityTooLarge</Code>");

  const streamed = await new Promise<number>((resolve, reject) => {
    const req = request(env.emulator.url, { method: "POST", headers: { authorization: AUTH, "transfer-encoding": "chunked" } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, "x");
    for (let i = 0; i < 20; i++) req.write(chunk);
    req.end();
  });
  expect(streamed).toBe(413);
  expect((await post("Action=ListUsers&Version=2010-05-08")).status).toBe(200);
});

test("keep-alive connections are reused", async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const reused: boolean[] = [];
  for (let i = 0; i < 3; i++) {
    await new Promise<void>((resolve, reject) => {
      const body = "Action=ListUsers&Version=2010-05-08";
      const req = request(env.emulator.url, { method: "POST", agent, headers: { authorization: AUTH, "content-length": Buffer.byteLength(body) } }, (res) => {
        expect(res.statusCode).toBe(200);
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      reused.push(false);
      req.on("socket", () => {
        reused[i] = req.reusedSocket;
      });
      req.end(body);
    });
  }
  agent.destroy();
  expect(reused).toEqual([false, true, true]);
});

test("an unexpected exception in an operation is a ServiceFailure 500", async () => {
  const table = operations as Map<string, OperationDefinition>;
  const original = table.get("ListUsers")!;
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  table.set("ListUsers", {
    service: "iam",
    handler: () => {
      throw new Error("boom");
    },
  });
  try {
    const response = await post("Action=ListUsers&Version=2010-05-08");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain("<Type>Receiver</Type><Code>ServiceFailure</Code>");
  } finally {
    table.set("ListUsers", original);
  }
  expect((await post("Action=ListUsers&Version=2010-05-08")).status).toBe(200);
});
