// proto/tfplugin6.proto must be wire-identical to Terraform v1.11.4's tfplugin6.8.proto:
// the same packages, services, RPCs, messages, enums and fields (comments may differ).
// The reference lives in ../shared, which a lone clone does not have; its wire shape (names,
// numbers, types: no text of the file) is recorded in tfplugin6.8-wire.json, checked against
// the reference whenever it is there. UPDATE_WIRE_SHAPE=1 rewrites the record from it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/dist.ts";

const OURS = join(REPO_ROOT, "proto", "tfplugin6.proto");
const REFERENCE = join(REPO_ROOT, "..", "shared", "reference", "proto", "tfplugin6.8.proto");
const RECORDED = join(REPO_ROOT, "test", "protocol", "tfplugin6.8-wire.json");
const HAVE_REFERENCE = existsSync(REFERENCE);

function load(file: string): protobuf.Root {
  const root = new protobuf.Root();
  root.loadSync(file, { keepCase: true });
  root.resolveAll();
  return root;
}

type Shape = Record<string, unknown>;

function fieldShape(field: protobuf.Field): Shape {
  field.resolve();
  const t = field.resolvedType ? field.resolvedType.fullName : field.type;
  return {
    id: field.id,
    type: t,
    repeated: field.repeated,
    map: field.map,
    keyType: field instanceof protobuf.MapField ? field.keyType : null,
    // proto3 `optional` is a synthetic oneof; a real oneof is named in the source.
    optional: Boolean(field.options?.proto3_optional),
    oneof: field.partOf && !field.options?.proto3_optional ? field.partOf.name : null,
  };
}

/** Everything that reaches the wire, keyed by name so declaration order does not matter. */
function shape(ns: protobuf.NamespaceBase): Shape {
  const out: Shape = {};
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) {
      out[nested.name] = {
        kind: "message",
        fields: Object.fromEntries(nested.fieldsArray.map((f) => [f.name, fieldShape(f)])),
        oneofs: Object.fromEntries(
          nested.oneofsArray.filter((o) => !o.fieldsArray.every((f) => f.options?.proto3_optional)).map((o) => [o.name, o.oneof.slice().sort()]),
        ),
        reserved: nested.reserved ?? null,
        nested: shape(nested),
      };
    } else if (nested instanceof protobuf.Enum) {
      out[nested.name] = { kind: "enum", values: { ...nested.values } };
    } else if (nested instanceof protobuf.Service) {
      out[nested.name] = {
        kind: "service",
        methods: Object.fromEntries(
          nested.methodsArray.map((m) => {
            m.resolve();
            return [
              m.name,
              {
                request: m.resolvedRequestType!.fullName,
                response: m.resolvedResponseType!.fullName,
                requestStream: Boolean(m.requestStream),
                responseStream: Boolean(m.responseStream),
              },
            ];
          }),
        ),
      };
    } else if (nested instanceof protobuf.Namespace) {
      out[nested.name] = { kind: "package", nested: shape(nested) };
    }
  }
  return out;
}

/** Packages declared by the file itself (google.protobuf comes from the import). */
function packages(root: protobuf.Root): Shape {
  const all = shape(root);
  delete all.google;
  return all;
}

interface Wire {
  packages: string[];
  tree: Shape;
  options: Shape;
}

function wire(root: protobuf.Root): Wire {
  const pkg = root.lookup("tfplugin6") as protobuf.Namespace;
  return { packages: Object.keys(packages(root)).sort(), tree: shape(pkg), options: { ...(pkg.options ?? root.options ?? {}) } };
}

/** The reference's wire shape: from ../shared when present, else as recorded. */
function referenceWire(): Wire {
  if (!HAVE_REFERENCE) return JSON.parse(readFileSync(RECORDED, "utf8")) as Wire;
  const w = wire(load(REFERENCE));
  if (process.env.UPDATE_WIRE_SHAPE) writeFileSync(RECORDED, `${JSON.stringify(w, null, 1)}\n`);
  return w;
}

describe("proto/tfplugin6.proto against Terraform's tfplugin6.8.proto", () => {
  const ours = wire(load(OURS));
  const reference = referenceWire();

  it.skipIf(!HAVE_REFERENCE)(`the recorded wire shape (tfplugin6.8-wire.json) is the reference's (needs ${REFERENCE})`, () => {
    expect(JSON.parse(readFileSync(RECORDED, "utf8"))).toEqual(JSON.parse(JSON.stringify(reference)));
  });

  it("declares the same packages", () => {
    expect(ours.packages).toEqual(["tfplugin6"]);
    expect(ours.packages).toEqual(reference.packages);
  });

  it("has the same service, RPCs, request/response types and streaming", () => {
    expect(ours.tree.Provider).toEqual(reference.tree.Provider);
    expect(Object.keys((reference.tree.Provider as { methods: Shape }).methods)).toHaveLength(20);
  });

  it("has the same messages, enums (names and numbers) and fields (names, numbers, types, labels, oneofs)", () => {
    const a = JSON.parse(JSON.stringify(ours.tree)) as Shape;
    const b = reference.tree;
    // Compare message by message first, for a readable failure.
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const name of Object.keys(b)) expect(a[name], name).toEqual(b[name]);
    expect(a).toEqual(b);
  });

  it("declares the same file options that reach generated code (go_package)", () => {
    expect(ours.options).toEqual(reference.options);
  });

  it("would notice a changed field number, type, label or enum value (the comparison is not blind)", () => {
    const baseline = JSON.parse(JSON.stringify(reference.tree)) as Shape;
    const mutate = (change: (root: protobuf.Root) => void) => {
      const root = load(OURS);
      change(root);
      return JSON.parse(JSON.stringify(shape(root.lookup("tfplugin6") as protobuf.Namespace))) as Shape;
    };
    expect(mutate(() => {})).toEqual(baseline);
    expect(mutate((r) => ((r.lookupType("tfplugin6.DynamicValue").fields.json as { id: number }).id = 3))).not.toEqual(baseline);
    expect(mutate((r) => ((r.lookupType("tfplugin6.DynamicValue").fields.json as { type: string }).type = "string"))).not.toEqual(baseline);
    expect(mutate((r) => ((r.lookupType("tfplugin6.Schema.Block").fields.attributes as { repeated: boolean }).repeated = false))).not.toEqual(baseline);
    expect(mutate((r) => ((r.lookupEnum("tfplugin6.Diagnostic.Severity").values as Record<string, number>).WARNING = 3))).not.toEqual(baseline);
    expect(mutate((r) => ((r.lookupService("tfplugin6.Provider").methods.GetMetadata as { responseStream: boolean }).responseStream = true))).not.toEqual(
      baseline,
    );
  });
});
