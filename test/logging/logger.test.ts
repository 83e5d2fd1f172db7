import { describe, expect, it } from "vitest";
import { createLogger, hclogTimestamp, levelFromEnv, Redactor, type LogLevel } from "../../src/logging/logger.ts";

function capture(level: LogLevel | "off", redactor = new Redactor()) {
  const lines: string[] = [];
  const logger = createLogger({ level, module: "provider.test", write: (l) => lines.push(l), redactor });
  return { logger, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("go-hclog JSON lines", () => {
  it("writes one JSON object per line with @level, @message, @module and a six-digit @timestamp", () => {
    const { logger, lines, entries } = capture("trace");
    logger.info("hello", { user_name: "jane", count: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    expect(lines[0]!.slice(0, -1)).not.toContain("\n");
    const [entry] = entries();
    expect(entry).toMatchObject({ "@level": "info", "@message": "hello", "@module": "provider.test", user_name: "jane", count: 3 });
    expect(entry!["@timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("formats timestamps with exactly six fractional digits", () => {
    expect(hclogTimestamp(new Date("2026-01-02T03:04:05.123Z"))).toBe("2026-01-02T03:04:05.123000Z");
    expect(hclogTimestamp(new Date("2026-01-02T03:04:05.000Z"))).toBe("2026-01-02T03:04:05.000000Z");
  });

  it("keeps a message with newlines on one line", () => {
    const { logger, lines, entries } = capture("trace");
    logger.error("first\nsecond");
    expect(lines[0]!.split("\n")).toHaveLength(2);
    expect(entries()[0]!["@message"]).toBe("first\nsecond");
  });

  it("writes each level name go-hclog knows", () => {
    const { logger, entries } = capture("trace");
    logger.trace("t");
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(entries().map((e) => e["@level"])).toEqual(["trace", "debug", "info", "warn", "error"]);
  });

  it("does not let fields overwrite the @ keys, and logs an Error field as its message", () => {
    const { logger, entries } = capture("trace");
    logger.with({ tf_rpc: "ReadResource" }).warn("careful", { "@level": "error", "@message": "forged", error: new Error("boom") });
    expect(entries()[0]).toMatchObject({ "@level": "warn", "@message": "careful", tf_rpc: "ReadResource", error: "boom" });
  });
});

describe("level threshold", () => {
  it("drops entries below the threshold", () => {
    const { logger, entries } = capture("warn");
    logger.debug("no");
    logger.info("no");
    logger.warn("yes");
    logger.error("yes too");
    expect(entries().map((e) => e["@message"])).toEqual(["yes", "yes too"]);
    expect(logger.enabled("info")).toBe(false);
    expect(logger.enabled("warn")).toBe(true);
  });

  it.each([
    [{}, "off"],
    [{ TF_LOG: "" }, "off"],
    [{ TF_LOG: "off" }, "off"],
    [{ TF_LOG: "DEBUG" }, "debug"],
    [{ TF_LOG: "json" }, "trace"],
    [{ TF_LOG: "info", TF_LOG_PROVIDER: "error" }, "error"],
    [{ TF_LOG: "trace", TF_LOG_PROVIDER: "warn" }, "warn"],
    [{ TF_LOG_PROVIDER: "debug" }, "debug"],
  ] as const)("%j → %s", (env, level) => {
    expect(levelFromEnv(env as NodeJS.ProcessEnv)).toBe(level);
  });

  it("when off, writes nothing and does not even look at the fields", () => {
    const { logger, lines } = capture("off");
    const fields = {
      get expensive(): string {
        throw new Error("a field was formatted while logging is off");
      },
    };
    for (const level of ["trace", "debug", "info", "warn", "error"] as const) {
      expect(() => logger[level]("nothing", fields)).not.toThrow();
      expect(logger.enabled(level)).toBe(false);
    }
    expect(() => logger.with({ a: 1 }).error("nothing", fields)).not.toThrow();
    expect(lines).toEqual([]);
  });

  it("below the threshold, does not look at the fields either", () => {
    const { logger, lines } = capture("error");
    const fields = {
      get expensive(): string {
        throw new Error("formatted");
      },
    };
    expect(() => logger.debug("skipped", fields)).not.toThrow();
    expect(lines).toEqual([]);
  });
});

describe("redaction", () => {
  it("masks registered secrets wherever they appear in a line", () => {
    const redactor = new Redactor();
    redactor.add("hunter2-super-secret");
    const { logger, lines } = capture("trace", redactor);
    logger.info("created with hunter2-super-secret inside", { note: "xx hunter2-super-secret yy", nested: { deep: ["hunter2-super-secret"] } });
    expect(lines.join("")).not.toContain("hunter2-super-secret");
    expect(lines.join("")).toContain("[REDACTED]");
    expect(JSON.parse(lines[0]!)).toMatchObject({ "@message": "created with [REDACTED] inside" });
  });

  it("masks secrets containing regular-expression characters, longest first", () => {
    const redactor = new Redactor();
    redactor.add("a+b*c(d)");
    redactor.add("a+b*c(d)-and-more");
    expect(redactor.redact("x a+b*c(d)-and-more y a+b*c(d) z")).toBe("x [REDACTED] y [REDACTED] z");
  });

  it("masks secret-named fields even when the value was never registered", () => {
    const { logger, entries } = capture("trace");
    logger.info("request", {
      service_password: "p4ss-never-registered",
      service_credential_secret: "k3y-never-registered",
      secret_key: "AKIAsecretvalue",
      token: "session-token-value",
      user_name: "jane",
    });
    const entry = entries()[0]!;
    expect(entry).toMatchObject({
      service_password: "[REDACTED]",
      service_credential_secret: "[REDACTED]",
      secret_key: "[REDACTED]",
      token: "[REDACTED]",
      user_name: "jane",
    });
    expect(JSON.stringify(entry)).not.toMatch(/never-registered|secretvalue|session-token-value/);
  });

  it("leaves ordinary text alone when nothing is registered", () => {
    const redactor = new Redactor();
    expect(redactor.redact("plain text")).toBe("plain text");
    redactor.add("abc"); // too short to be a secret: registering it would mask ordinary words
    expect(redactor.redact("abc def")).toBe("abc def");
  });
});
