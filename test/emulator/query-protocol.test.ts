import { describe, expect, test } from "vitest";
import { IamError } from "../../src/emulator/iam-errors.ts";
import { IAM_SERVICE, QueryParams, renderError, renderResult, serviceForVersion, STS_SERVICE } from "../../src/emulator/query-protocol.ts";

describe("QueryParams", () => {
  test("decodes form encoding", () => {
    const params = new QueryParams("Action=CreateUser&UserName=a%2Bb&Path=%2Fteam%2F&Note=two+words");
    expect(params.get("Action")).toBe("CreateUser");
    expect(params.get("UserName")).toBe("a+b");
    expect(params.get("Path")).toBe("/team/");
    expect(params.get("Note")).toBe("two words");
    expect(params.get("Absent")).toBeUndefined();
  });

  test("reads member lists up to the first gap", () => {
    const params = new QueryParams("TagKeys.member.1=a&TagKeys.member.2=b&TagKeys.member.4=d");
    expect(params.list("TagKeys")).toEqual(["a", "b"]);
    expect(params.list("Other")).toEqual([]);
  });

  test("reads nested structure lists such as Tags.member.N.Key", () => {
    const params = new QueryParams("Tags.member.1.Key=team&Tags.member.1.Value=infra&Tags.member.2.Key=env&Tags.member.2.Value=&Tags.member.3.Value=orphan");
    expect(params.structList("Tags", ["Key", "Value"] as const)).toEqual([{ Key: "team", Value: "infra" }, { Key: "env", Value: "" }, { Value: "orphan" }]);
  });

  test("survives malformed escapes and keeps the first of repeated names", () => {
    const params = new QueryParams("A=%ZZ&A=second&B=%E0%A4%A");
    expect(params.get("A")).toBe("%ZZ");
    expect(typeof params.get("B")).toBe("string");
  });
});

describe("envelopes", () => {
  test("a result document wraps the result and request id", () => {
    const xml = renderResult(IAM_SERVICE, "GetUser", { User: { UserName: "alice" } }, "req-1");
    expect(xml).toContain(
      '<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><UserName>alice</UserName></User></GetUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetUserResponse>',
    );
  });

  test("operations without output have no Result element", () => {
    const xml = renderResult(IAM_SERVICE, "DeleteUser", undefined, "req-2");
    expect(xml).toContain("<DeleteUserResponse");
    expect(xml).not.toContain("DeleteUserResult");
  });

  test("an error document carries type, code, message and request id", () => {
    const xml = renderError(STS_SERVICE, new IamError("Throttling", 400, "Rate <exceeded>"), "req-3");
    expect(xml).toContain(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate &lt;exceeded&gt;</Message></Error><RequestId>req-3</RequestId></ErrorResponse>',
    );
    expect(renderError(IAM_SERVICE, new IamError("ServiceFailure", 500, "x"), "r")).toContain("<Type>Receiver</Type>");
  });

  test("services are told apart by Version", () => {
    expect(serviceForVersion("2010-05-08")).toBe(IAM_SERVICE);
    expect(serviceForVersion("2011-06-15")).toBe(STS_SERVICE);
    expect(serviceForVersion("2099-01-01")).toBeUndefined();
  });
});
