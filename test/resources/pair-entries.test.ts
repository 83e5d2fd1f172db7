import { describe, expect, it } from "vitest";
import { PairEntries } from "../../src/resources/pair-entries.ts";

function entries(maxAgeMs = 1000) {
  const clock = { t: 0 };
  return {
    clock,
    map: new PairEntries<{ at: number; v: string }>(
      maxAgeMs,
      (e) => e.at,
      () => clock.t,
    ),
  };
}

describe("PairEntries", () => {
  it("holds an entry per user and service; a too old one is held but not fresh", () => {
    const { clock, map } = entries(1000);
    const entry = { at: 0, v: "a" };
    map.set("u", "s1", entry);
    expect(map.fresh("u", "s1")).toBe(entry);
    expect(map.fresh("u", "s2")).toBeUndefined();
    clock.t = 1001;
    expect(map.fresh("u", "s1")).toBeUndefined();
    expect(map.held("u", "s1")).toBe(entry);
  });

  it("deletes one pair, or every service of a user (and not another user whose name it starts)", () => {
    const { map } = entries();
    for (const [u, s] of [
      ["u", "s1"],
      ["u", "s2"],
      ["u2", "s1"],
    ])
      map.set(u!, s!, { at: 0, v: `${u}/${s}` });
    map.delete("u", "s1");
    expect(map.held("u", "s1")).toBeUndefined();
    map.deleteUser("u");
    expect(map.held("u", "s2")).toBeUndefined();
    expect(map.held("u2", "s1")?.v).toBe("u2/s1");
    expect(map.size).toBe(1);
  });

  it("sweeps old entries once 512 are held, then again only once they have doubled", () => {
    const { clock, map } = entries(1000);
    for (let i = 0; i < 512; i++) map.set(`old-${i}`, "s", { at: 0, v: "" });
    clock.t = 2000;
    map.set("new-0", "s", { at: 2000, v: "" });
    expect(map.size).toBe(1);
    for (let i = 1; i < 600; i++) map.set(`new-${i}`, "s", { at: 2000, v: "" });
    expect(map.size).toBe(600);
  });
});
