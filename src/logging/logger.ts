/**
 * Logging in go-hclog's JSON line format on stderr, which Terraform parses and re-emits under
 * TF_LOG / TF_LOG_PROVIDER. When logging is off nothing is formatted at all.
 *
 * Every line passes through the redactor first: values of sensitive attributes and AWS secret
 * keys are registered with it as soon as the provider sees them, so no code path can leak one
 * by logging a request, a response or an error message.
 */
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

const LEVELS: Record<LogLevel | "off", number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly enabled: (level: LogLevel) => boolean;
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  with(fields: LogFields): Logger;
}

/** Reads the threshold the way Terraform does: TF_LOG_PROVIDER wins over TF_LOG; JSON means trace. */
export function levelFromEnv(env: NodeJS.ProcessEnv): LogLevel | "off" {
  const raw = (env.TF_LOG_PROVIDER || env.TF_LOG || "").trim().toLowerCase();
  if (raw === "" || raw === "off") return "off";
  if (raw === "json") return "trace";
  return raw in LEVELS ? (raw as LogLevel) : "trace";
}

/** Holds every secret seen in this process and masks it wherever it would be written. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  add(secret: string | undefined | null): void {
    // Very short values would mask ordinary words; secrets here are long random strings.
    if (!secret || secret.length < 6 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.pattern = undefined;
  }

  redact(text: string): string {
    if (this.secrets.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join("|"),
      "g",
    );
    return text.replace(this.pattern, "[REDACTED]");
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Field names that carry secrets whatever their value; never written even before registration. */
const SECRET_FIELD = /secret|password|token|credential_secret|private_key/i;

export const redactor = new Redactor();

export function hclogTimestamp(date: Date): string {
  // Terraform drops the level of lines whose timestamp lacks exactly six fractional digits.
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function createLogger(options: {
  level: LogLevel | "off";
  module: string;
  write?: (line: string) => void;
  redactor?: Redactor;
  fields?: LogFields;
}): Logger {
  const threshold = LEVELS[options.level];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const red = options.redactor ?? redactor;
  const base = options.fields ?? {};

  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVELS[level] < threshold) return;
    const entry: Record<string, unknown> = {
      "@level": level,
      "@message": message,
      "@module": options.module,
      "@timestamp": hclogTimestamp(new Date()),
    };
    for (const [k, v] of Object.entries({ ...base, ...fields })) {
      if (k.startsWith("@")) continue;
      entry[k] = SECRET_FIELD.test(k) ? "[REDACTED]" : v instanceof Error ? v.message : v;
    }
    write(`${red.redact(JSON.stringify(entry))}\n`);
  };

  return {
    enabled: (level) => LEVELS[level] >= threshold,
    trace: (m, f) => emit("trace", m, f),
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    with: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}
