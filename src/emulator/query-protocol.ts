/**
 * The AWS Query protocol: form-encoded parameters in, namespaced XML documents out.
 */
import { xmlDocument, type XmlObject } from "./xml-writer.ts";
import type { IamError } from "./iam-errors.ts";

export type ServiceId = "iam" | "sts";

export interface ServiceDescription {
  id: ServiceId;
  version: string;
  namespace: string;
}

export const IAM_SERVICE: ServiceDescription = {
  id: "iam",
  version: "2010-05-08",
  namespace: "https://iam.amazonaws.com/doc/2010-05-08/",
};

export const STS_SERVICE: ServiceDescription = {
  id: "sts",
  version: "2011-06-15",
  namespace: "https://sts.amazonaws.com/doc/2011-06-15/",
};

export function serviceForVersion(version: string | undefined): ServiceDescription | undefined {
  if (version === IAM_SERVICE.version) return IAM_SERVICE;
  if (version === STS_SERVICE.version) return STS_SERVICE;
  return undefined;
}

/** Flat view of the request's parameters with helpers for the Query list encodings. */
export class QueryParams {
  private readonly values = new Map<string, string>();

  constructor(encoded: string) {
    // URLSearchParams never throws: malformed escapes pass through as literal text.
    for (const [key, value] of new URLSearchParams(encoded)) {
      if (!this.values.has(key)) this.values.set(key, value);
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** `Name.member.1`, `Name.member.2`, … up to the first gap. */
  list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.values.get(`${name}.member.${i}`);
      if (value === undefined) return out;
      out.push(value);
    }
  }

  /** `Name.member.N.Field` structures, up to the first index with none of the fields. */
  structList<F extends string>(name: string, fields: readonly F[]): Array<Partial<Record<F, string>>> {
    const out: Array<Partial<Record<F, string>>> = [];
    for (let i = 1; ; i++) {
      const item: Partial<Record<F, string>> = {};
      let found = false;
      for (const field of fields) {
        const value = this.values.get(`${name}.member.${i}.${field}`);
        if (value !== undefined) {
          item[field] = value;
          found = true;
        }
      }
      if (!found) return out;
      out.push(item);
    }
  }
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…` (no Result for unit outputs). */
export function renderResult(service: ServiceDescription, action: string, result: XmlObject | undefined, requestId: string): string {
  const body: XmlObject = {};
  if (result !== undefined) body[`${action}Result`] = result;
  body.ResponseMetadata = { RequestId: requestId };
  return xmlDocument(`${action}Response`, service.namespace, body);
}

export function renderError(service: ServiceDescription, error: Pick<IamError, "code" | "message" | "type">, requestId: string): string {
  return xmlDocument("ErrorResponse", service.namespace, {
    Error: { Type: error.type, Code: error.code, Message: error.message },
    RequestId: requestId,
  });
}
