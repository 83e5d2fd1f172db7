import { describe, expect, it } from "vitest";
import { sleep } from "../../src/aws/sleep.ts";

describe("sleep", () => {
  it("resolves after the pause", async () => {
    await expect(sleep(0)).resolves.toBeUndefined();
  });

  it("rejects with the signal's reason when already aborted", async () => {
    const reason = new Error("Terraform asked the provider to stop");
    await expect(sleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it("rejects with the signal's reason when aborted during the pause", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const waiting = sleep(60_000, controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it("an abort without a reason rejects with the signal's default AbortError", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
  });
});
