import { describe, expect, test } from "vitest";
import { allPages, PaginationError, type IamPage } from "../../src/aws/iam-pagination.ts";

/** A page function over fixed answers, recording the markers it was asked with. */
function pages(answers: IamPage<number>[]) {
  const asked: (string | undefined)[] = [];
  const page = async (marker: string | undefined) => {
    asked.push(marker);
    const answer = answers[asked.length - 1];
    if (!answer) throw new Error("asked for a page past the last");
    return answer;
  };
  return { page, asked };
}

describe("allPages", () => {
  test("follows markers until a page is not truncated", async () => {
    const { page, asked } = pages([
      { items: [1, 2], isTruncated: true, marker: "m1" },
      { items: [3], isTruncated: true, marker: "m2" },
      { items: [4], isTruncated: false, marker: undefined },
    ]);
    expect(await allPages("ListThings", page)).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual([undefined, "m1", "m2"]);
  });

  test("one page without IsTruncated (LocalStack) is the whole list, and missing items are none", async () => {
    const { page, asked } = pages([{ items: undefined, isTruncated: undefined, marker: undefined }]);
    expect(await allPages("ListThings", page)).toEqual([]);
    expect(asked).toEqual([undefined]);
  });

  test("a marker on a page that is not truncated is not followed", async () => {
    const { page, asked } = pages([{ items: [1], isTruncated: false, marker: "stale" }]);
    expect(await allPages("ListThings", page)).toEqual([1]);
    expect(asked).toEqual([undefined]);
  });

  test("refuses a marker given twice instead of looping (a service that ignores Marker)", async () => {
    let calls = 0;
    const ignoresMarker = async () => {
      calls++;
      if (calls > 10) throw new Error("looping");
      return { items: [1], isTruncated: true, marker: "m1" };
    };
    const err = await allPages("ListUserTags", ignoresMarker).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaginationError);
    expect((err as PaginationError).name).toBe("PaginationError");
    expect((err as PaginationError).action).toBe("ListUserTags");
    expect((err as Error).message).toBe(
      'ListUserTags: the service gave Marker "m1" a second time (it seems to ignore Marker) after 2 pages; the list would be incomplete',
    );
    expect(calls).toBe(2);
  });

  test("refuses a truncated page without a marker", async () => {
    for (const marker of [undefined, ""]) {
      const { page, asked } = pages([
        { items: [1], isTruncated: true, marker: "m1" },
        { items: [2], isTruncated: true, marker },
      ]);
      const err = await allPages("ListAccessKeys", page).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PaginationError);
      expect((err as Error).message).toBe(
        "ListAccessKeys: the service said the list is truncated but gave no Marker to continue from after 2 pages; the list would be incomplete",
      );
      expect(asked).toEqual([undefined, "m1"]);
    }
  });

  test("an aborted signal stops before the next page", async () => {
    const controller = new AbortController();
    const { page, asked } = pages([
      { items: [1], isTruncated: true, marker: "m1" },
      { items: [2], isTruncated: false, marker: undefined },
    ]);
    const aborting = async (marker: string | undefined) => {
      const out = await page(marker);
      controller.abort();
      return out;
    };
    const err = await allPages("ListThings", aborting, controller.signal).catch((e: unknown) => e);
    expect((err as Error).name).toBe("AbortError");
    expect(asked).toEqual([undefined]);
  });

  test("a page function's error is passed on unchanged", async () => {
    const refusal = Object.assign(new Error("no such user"), { name: "NoSuchEntityException" });
    await expect(allPages("ListThings", async () => Promise.reject(refusal))).rejects.toBe(refusal);
  });
});
