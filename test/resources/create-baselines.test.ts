import { describe, expect, it } from "vitest";
import { CreateBaselines, createBaselines } from "../../src/resources/create-baselines.ts";

const CODECOMMIT = "codecommit.amazonaws.com";

function clocked(maxAgeMs = 1000) {
  const clock = { t: 10_000 };
  return { clock, baselines: new CreateBaselines(maxAgeMs, () => clock.t) };
}

describe("CreateBaselines", () => {
  it("hands a baseline to the next create of the same user and service, once", () => {
    const { clock, baselines } = clocked();
    baselines.handOver("u", CODECOMMIT, { ids: new Set(["A", "B"]), listedAt: clock.t });
    expect(baselines.take("u", "cassandra.amazonaws.com")).toBeUndefined();
    expect(baselines.take("v", CODECOMMIT)).toBeUndefined();
    expect([...(baselines.take("u", CODECOMMIT)?.ids ?? [])]).toEqual(["A", "B"]);
    // Taken: a second create (after the first one failed, say) lists again.
    expect(baselines.take("u", CODECOMMIT)).toBeUndefined();
    expect(baselines.size).toBe(0);
  });

  it("its age counts from the listing it started with, not from the hand-over", () => {
    const { clock, baselines } = clocked(1000);
    const listedAt = clock.t;
    clock.t += 600;
    baselines.handOver("u", CODECOMMIT, { ids: new Set(["A"]), listedAt });
    clock.t += 600;
    expect(baselines.take("u", CODECOMMIT)).toBeUndefined();

    baselines.handOver("u", CODECOMMIT, { ids: new Set(["A"]), listedAt: clock.t - 2000 });
    expect(baselines.size).toBe(0);
  });

  it("one configured provider's baselines are not another's: aliases may reach other accounts", () => {
    const a = {};
    const b = {};
    createBaselines(a).handOver("u", CODECOMMIT, { ids: new Set(["A"]), listedAt: performance.now() });
    expect(createBaselines(b).take("u", CODECOMMIT)).toBeUndefined();
    expect(createBaselines(a).take("u", CODECOMMIT)?.ids.has("A")).toBe(true);
  });

  it("drops baselines nobody took once many are held, and keeps the fresh ones", () => {
    const { clock, baselines } = clocked(1000);
    for (let i = 0; i < 400; i++) baselines.handOver(`old-${i}`, CODECOMMIT, { ids: new Set(), listedAt: clock.t });
    clock.t += 2000;
    for (let i = 0; i < 200; i++) baselines.handOver(`new-${i}`, CODECOMMIT, { ids: new Set(), listedAt: clock.t });
    // The 513th hand-over swept the 400 old ones.
    expect(baselines.size).toBe(200);
    expect(baselines.take("new-0", CODECOMMIT)).toBeDefined();
    expect(baselines.take("new-199", CODECOMMIT)).toBeDefined();
  });
});
