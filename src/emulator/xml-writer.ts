/**
 * A minimal XML writer for AWS Query responses. Values are plain data: objects become nested
 * elements in key order, arrays become <member> lists (the Query protocol's list encoding).
 */

export type XmlScalar = string | number | boolean | Date;
export type XmlValue = XmlScalar | XmlValue[] | XmlObject | undefined | null;
export interface XmlObject {
  [element: string]: XmlValue;
}

// XML 1.0 cannot carry most control characters even as character references, and a lone
// surrogate would make the document invalid UTF-8; replace them so that echoing user input
// can never produce a document the SDK fails to parse.
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes character data; quotes stay literal, as in IAM's own messages. */
export function escapeXml(text: string): string {
  return text.replace(FORBIDDEN_CHARS, "\uFFFD").replace(/[&<>\r]/g, (ch) => {
    switch (ch) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      default:
        // A literal CR would be normalised away by the parser.
        return "&#13;";
    }
  });
}

function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/"/g, "&quot;");
}

/** IAM writes timestamps in UTC with whole seconds. */
export function formatIamDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function scalarText(value: XmlScalar): string {
  if (value instanceof Date) return formatIamDate(value);
  return escapeXml(String(value));
}

function writeValue(out: string[], name: string, value: XmlValue): void {
  if (value === undefined || value === null) return;
  out.push(`<${name}>`);
  if (Array.isArray(value)) {
    for (const item of value) writeValue(out, "member", item);
  } else if (typeof value === "object" && !(value instanceof Date)) {
    writeChildren(out, value);
  } else {
    out.push(scalarText(value));
  }
  out.push(`</${name}>`);
}

function writeChildren(out: string[], object: XmlObject): void {
  for (const [key, child] of Object.entries(object)) writeValue(out, key, child);
}

/** Serialises one element; undefined and null values are left out entirely. */
export function toXml(name: string, value: XmlValue): string {
  const out: string[] = [];
  writeValue(out, name, value);
  return out.join("");
}

/** Serialises a root element carrying a default namespace. */
export function xmlDocument(root: string, namespace: string, children: XmlObject): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n', `<${root} xmlns="${escapeAttribute(namespace)}">`];
  writeChildren(out, children);
  out.push(`</${root}>\n`);
  return out.join("");
}
