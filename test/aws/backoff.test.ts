import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/aws/backoff.ts";

// A random source that always returns `r`, so each jittered pause is exact.
const fixed = (r: number) => () => r;

describe("backoffDelay", () => {
  it("full jitter picks in [0, min(cap, base * 2^attempt))", () => {
    const opts = { baseMs: 100, capMs: 20_000, jitter: "full" } as const;
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, { ...opts, random: fixed(0.5) }))).toEqual([50, 100, 200, 400]);
    expect(backoffDelay(3, { ...opts, random: fixed(0) })).toBe(0);
    // Just under 1: never the ceiling itself.
    expect(backoffDelay(3, { ...opts, random: fixed(0.999999) })).toBe(799);
  });

  it("caps the ceiling, also for attempts where 2^attempt overflows", () => {
    const opts = { baseMs: 100, capMs: 5000, jitter: "full", random: fixed(0.5) } as const;
    expect(backoffDelay(10, opts)).toBe(2500);
    expect(backoffDelay(5000, opts)).toBe(2500);
    expect(backoffDelay(5000, { baseMs: 100, capMs: 5000, jitter: "none" })).toBe(5000);
  });

  it("without jitter gives the ceiling, rounded up, and never calls random", () => {
    const random = () => {
      throw new Error("random called");
    };
    const opts = { baseMs: 200, capMs: 5000, factor: 1.5, jitter: "none", random } as const;
    expect([0, 1, 2, 3, 4, 8, 9].map((a) => backoffDelay(a, opts))).toEqual([200, 300, 450, 675, 1013, 5000, 5000]);
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, { baseMs: 500, capMs: 5000, jitter: "none" }))).toEqual([500, 1000, 2000, 4000, 5000]);
  });

  it("a zero base or cap means no pause", () => {
    expect(backoffDelay(4, { baseMs: 0, capMs: 0, jitter: "full", random: fixed(0.9) })).toBe(0);
    expect(backoffDelay(4, { baseMs: 0, capMs: 5000, jitter: "none" })).toBe(0);
  });
});
