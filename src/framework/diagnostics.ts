/**
 * Errors and warnings as Terraform shows them: a summary, a detail, and optionally the path of
 * the attribute they are about, so Terraform can point at the configuration line.
 */
type PathStep = string | number | { readonly key: string };
export type AttributePath = readonly PathStep[];

type Severity = "error" | "warning";

export interface Diagnostic {
  readonly severity: Severity;
  readonly summary: string;
  readonly detail: string;
  readonly path?: AttributePath;
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(summary: string, detail = "", path?: AttributePath): this {
    this.items.push(path ? { severity: "error", summary, detail, path } : { severity: "error", summary, detail });
    return this;
  }

  warning(summary: string, detail = "", path?: AttributePath): this {
    this.items.push(path ? { severity: "warning", summary, detail, path } : { severity: "warning", summary, detail });
    return this;
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

/** What a response with nothing but diagnostics carries, and what every other response carries too. */
export interface WithDiagnostics {
  readonly diagnostics: Diagnostics;
}

/** `user_name`, `endpoints[0].iam`, `tags["Name"]` — for messages and logs. */
export function formatPath(path: AttributePath): string {
  let out = "";
  for (const step of path) {
    if (typeof step === "string") out += out ? `.${step}` : step;
    else if (typeof step === "number") out += `[${step}]`;
    else out += `[${JSON.stringify(step.key)}]`;
  }
  return out;
}
