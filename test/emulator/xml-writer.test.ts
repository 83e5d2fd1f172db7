import { describe, expect, test } from "vitest";
import { escapeXml, formatIamDate, toXml, xmlDocument } from "../../src/emulator/xml-writer.ts";

describe("escapeXml", () => {
  test("escapes markup characters and leaves quotes readable", () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe(`a&amp;b&lt;c&gt;d"e'f`);
    expect(escapeXml("]]>")).toBe("]]&gt;");
  });

  test("replaces characters XML 1.0 cannot carry", () => {
    expect(escapeXml("x\u0000y\u001Fz")).toBe("x\uFFFDy\uFFFDz");
    expect(escapeXml("lone \uD800 surrogate")).toBe("lone \uFFFD surrogate");
    expect(escapeXml("pair \uD83D\uDE00 ok")).toBe("pair \uD83D\uDE00 ok");
    expect(escapeXml("tab\tand\nnewline")).toBe("tab\tand\nnewline");
    expect(escapeXml("cr\r")).toBe("cr&#13;");
  });
});

describe("toXml", () => {
  test("writes objects in key order, arrays as members, and leaves out absent values", () => {
    const xml = toXml("Result", {
      Items: [{ Name: "a" }, { Name: "b<" }],
      Flag: false,
      Count: 2,
      Missing: undefined,
      Nothing: null,
    });
    expect(xml).toBe("<Result><Items><member><Name>a</Name></member><member><Name>b&lt;</Name></member></Items><Flag>false</Flag><Count>2</Count></Result>");
  });

  test("writes an empty list as an empty element", () => {
    expect(toXml("Tags", [])).toBe("<Tags></Tags>");
  });

  test("writes dates as IAM does, in UTC with whole seconds", () => {
    const date = new Date("2026-11-23T14:00:00.789Z");
    expect(formatIamDate(date)).toBe("2026-11-23T14:00:00Z");
    expect(toXml("CreateDate", date)).toBe("<CreateDate>2026-11-23T14:00:00Z</CreateDate>");
  });
});

test("xmlDocument puts the namespace on the root element", () => {
  const doc = xmlDocument("GetUserResponse", "https://iam.amazonaws.com/doc/2010-05-08/", { A: "1" });
  expect(doc).toContain('<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><A>1</A></GetUserResponse>');
  expect(doc.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
});
