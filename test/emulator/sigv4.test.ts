import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { declaredPayloadHashMatches, expectedSignature, parseAuthorization, signaturesMatch } from "../../src/emulator/sigv4.ts";

// The worked example of AWS's Signature Version 4 documentation (IAM ListUsers, 2015-08-30).
const EXAMPLE = {
  method: "GET",
  rawUrl: "/?Action=ListUsers&Version=2010-05-08",
  headers: {
    "content-type": "application/x-www-form-urlencoded; charset=utf-8",
    host: "iam.amazonaws.com",
    "x-amz-date": "20150830T123600Z",
  },
  body: Buffer.alloc(0),
};
const EXAMPLE_AUTH =
  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
const EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

describe("parseAuthorization", () => {
  test("reads credential scope, signed headers and signature", () => {
    expect(parseAuthorization(EXAMPLE_AUTH)).toEqual({
      accessKeyId: "AKIDEXAMPLE",
      shortDate: "20150830",
      region: "us-east-1",
      service: "iam",
      signedHeaders: ["content-type", "host", "x-amz-date"],
      signature: "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    });
  });

  test("rejects other schemes and incomplete headers", () => {
    expect(parseAuthorization("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(parseAuthorization("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request")).toBeUndefined();
    expect(parseAuthorization("AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, Signature=ab")).toBeUndefined();
  });
});

describe("expectedSignature", () => {
  test("reproduces the documented example", () => {
    const auth = parseAuthorization(EXAMPLE_AUTH)!;
    const signature = expectedSignature(EXAMPLE, auth, EXAMPLE_SECRET);
    expect(signature).toBe(auth.signature);
    expect(signaturesMatch(signature, auth.signature)).toBe(true);
  });

  test("changes with the secret, the query or a signed header", () => {
    const auth = parseAuthorization(EXAMPLE_AUTH)!;
    expect(expectedSignature(EXAMPLE, auth, "other")).not.toBe(auth.signature);
    expect(expectedSignature({ ...EXAMPLE, rawUrl: "/?Action=ListUsers&Version=2010-05-09" }, auth, EXAMPLE_SECRET)).not.toBe(auth.signature);
    expect(expectedSignature({ ...EXAMPLE, headers: { ...EXAMPLE.headers, host: "evil.example" } }, auth, EXAMPLE_SECRET)).not.toBe(auth.signature);
    // Query parameter order does not matter: the canonical form sorts them.
    expect(expectedSignature({ ...EXAMPLE, rawUrl: "/?Version=2010-05-08&Action=ListUsers" }, auth, EXAMPLE_SECRET)).toBe(auth.signature);
  });
});

test("a declared payload hash must be the body's hash", () => {
  const body = Buffer.from("Action=ListUsers&Version=2010-05-08");
  const sha = createHash("sha256").update(body).digest("hex");
  expect(declaredPayloadHashMatches({ ...EXAMPLE, body, headers: { "x-amz-content-sha256": sha } })).toBe(true);
  expect(declaredPayloadHashMatches({ ...EXAMPLE, body: Buffer.from("Action=DeleteUser"), headers: { "x-amz-content-sha256": sha } })).toBe(false);
  expect(declaredPayloadHashMatches({ ...EXAMPLE, body, headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } })).toBe(true);
  expect(declaredPayloadHashMatches({ ...EXAMPLE, body, headers: {} })).toBe(true);
});
