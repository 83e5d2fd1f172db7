// The official provider's state shapes (hashicorp/aws, SDKv2), as its versions write them,
// reshaped into this provider's, and checked against the plan this provider would make for the
// configuration that produced them: no change, no replacement, every secret kept.
import { describe, expect, it } from "vitest";
import { normalizeOfficialCredentialState, normalizeOfficialUserState } from "../../src/resources/official-state.ts";
import { iamServiceSpecificCredential } from "../../src/resources/iam-service-specific-credential.ts";
import { iamUser } from "../../src/resources/iam-user.ts";
import { planResourceChange } from "../../src/framework/plan-pipeline.ts";
import { Diagnostics } from "../../src/framework/diagnostics.ts";
import { blockType, type BlockSchema } from "../../src/framework/schema.ts";
import { normalizeObject } from "../../src/framework/object-values.ts";
import { decodeJson } from "../../src/protocol/json-codec.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, asMap, getAttribute, isNull, known, valuesEqual } from "../../src/values/value.ts";
import type { IamApi } from "../../src/aws/iam-api.ts";
import type { Resource } from "../../src/framework/resource.ts";
import { OFFICIAL_USER_ATTRIBUTES } from "../support/official-state-file.ts";

const PASSWORD = "hY7+kQ2/vX9pL0mN3bR5tW8zC1dF4gJ6sA=";
const SECRET = "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQtdmFsdWU=";

/** A state as stored: JSON attributes read with the schema, as UpgradeResourceState reads them. */
function stored(resource: Resource<IamApi>, attributes: Record<string, unknown>): Value {
  const block = resource.schema.block;
  return normalizeObject(block, decodeJson(JSON.stringify(attributes), blockType(block), { ignoreUndefinedAttributes: true }));
}

/** What Terraform proposes from prior state and configuration: config where set, else prior for computed attributes. */
function proposed(block: BlockSchema, prior: Value, config: Value): Value {
  const out = new Map<string, Value>();
  for (const [name, schema] of Object.entries(block.attributes)) {
    const c = getAttribute(config, name);
    out.set(name, !isNull(c) ? c : schema.computed ? getAttribute(prior, name) : NULL);
  }
  return known(out);
}

function config(resource: Resource<IamApi>, attributes: Record<string, unknown>): Value {
  return stored(resource, attributes);
}

/** This provider's plan for `cfg` against `prior`: must change nothing. */
function expectEmptyPlan(resource: Resource<IamApi>, prior: Value, cfg: Value): void {
  const diags = new Diagnostics();
  const change = planResourceChange(resource, { prior, proposed: proposed(resource.schema.block, prior, cfg), config: cfg, client: undefined }, diags);
  expect(diags.items.filter((d) => d.severity === "error")).toEqual([]);
  expect(change.requiresReplace).toEqual([]);
  const differing = Object.keys(resource.schema.block.attributes).filter((name) => !valuesEqual(getAttribute(change.planned, name), getAttribute(prior, name)));
  expect(differing).toEqual([]);
}

/** Compares a secret without printing it when it differs. */
function expectSecret(state: Value, name: string, expected: string): void {
  const got = getAttribute(state, name);
  expect(got.kind === "known" && got.value === expected, `${name} is not the stored secret`).toBe(true);
}

const credential = iamServiceSpecificCredential;
const codecommitConfig = config(credential, { service_name: "codecommit.amazonaws.com", user_name: "example" });

describe("official credential states", () => {
  it("a state from before the Bedrock attributes keeps its password and plans no change", () => {
    // v5: seven attributes, none of the API-key ones.
    const old = stored(credential, {
      id: "codecommit.amazonaws.com:example:ACCA1234567890EXAMPLE",
      service_name: "codecommit.amazonaws.com",
      user_name: "example",
      status: "Active",
      service_password: PASSWORD,
      service_user_name: "example-at-123456789012",
      service_specific_credential_id: "ACCA1234567890EXAMPLE",
    });
    const state = normalizeOfficialCredentialState(old);
    expectSecret(state, "service_password", PASSWORD);
    for (const name of ["credential_age_days", "service_credential_alias", "service_credential_secret", "create_date", "expiration_date"]) {
      expect(isNull(getAttribute(state, name)), name).toBe(true);
    }
    expect(getAttribute(state, "service_user_name")).toEqual(known("example-at-123456789012"));
    expectEmptyPlan(credential, state, codecommitConfig);
  });

  it("a v6 password state: the empty alias and secret SDKv2 wrote become null, the password stays", () => {
    const v6 = stored(credential, {
      id: "codecommit.amazonaws.com:example:ACCA1234567890EXAMPLE",
      service_name: "codecommit.amazonaws.com",
      user_name: "example",
      status: "Inactive",
      credential_age_days: null,
      service_password: PASSWORD,
      service_credential_secret: "",
      service_credential_alias: "",
      service_user_name: "example-at-123456789012",
      service_specific_credential_id: "ACCA1234567890EXAMPLE",
      create_date: "2025-10-01T12:34:56Z",
    });
    const state = normalizeOfficialCredentialState(v6);
    expectSecret(state, "service_password", PASSWORD);
    expect(isNull(getAttribute(state, "service_credential_secret"))).toBe(true);
    expect(isNull(getAttribute(state, "service_credential_alias"))).toBe(true);
    expect(isNull(getAttribute(state, "expiration_date"))).toBe(true);
    expect(getAttribute(state, "create_date")).toEqual(known("2025-10-01T12:34:56Z"));
    expectEmptyPlan(credential, state, config(credential, { service_name: "codecommit.amazonaws.com", user_name: "example", status: "Inactive" }));
    // Without the normalisation the plan is not empty: the check above can fail.
    expect(isNull(getAttribute(v6, "service_credential_alias"))).toBe(false);
  });

  it("a v6 API-key state keeps its secret and age; the empty password and service user name become null", () => {
    const v6 = stored(credential, {
      id: "bedrock.amazonaws.com:example:ACCA1234567890APIKEY",
      service_name: "bedrock.amazonaws.com",
      user_name: "example",
      status: "Active",
      credential_age_days: 30,
      service_password: "",
      service_user_name: "",
      service_credential_secret: SECRET,
      service_credential_alias: "example+1-at-123456789012",
      service_specific_credential_id: "ACCA1234567890APIKEY",
      create_date: "2025-10-01T12:34:56Z",
      expiration_date: "2025-10-31T12:34:56Z",
    });
    const state = normalizeOfficialCredentialState(v6);
    expectSecret(state, "service_credential_secret", SECRET);
    expect(isNull(getAttribute(state, "service_password"))).toBe(true);
    expect(isNull(getAttribute(state, "service_user_name"))).toBe(true);
    expect(getAttribute(state, "credential_age_days")).toEqual(known(30));
    expectEmptyPlan(credential, state, config(credential, { service_name: "bedrock.amazonaws.com", user_name: "example", credential_age_days: 30 }));
  });

  it("a credential_age_days of 0 (SDKv2's unset TypeInt) becomes null, so no replacement is planned", () => {
    const v6 = stored(credential, {
      id: "bedrock.amazonaws.com:example:ACCA1234567890APIKEY",
      service_name: "bedrock.amazonaws.com",
      user_name: "example",
      status: "Active",
      credential_age_days: 0,
      service_credential_secret: SECRET,
      service_specific_credential_id: "ACCA1234567890APIKEY",
      create_date: "2025-10-01T12:34:56Z",
    });
    const state = normalizeOfficialCredentialState(v6);
    expect(isNull(getAttribute(state, "credential_age_days"))).toBe(true);
    expectEmptyPlan(credential, state, config(credential, { service_name: "bedrock.amazonaws.com", user_name: "example" }));
    // The raw state would be replaced.
    const diags = new Diagnostics();
    const cfg = config(credential, { service_name: "bedrock.amazonaws.com", user_name: "example" });
    expect(
      planResourceChange(credential, { prior: v6, proposed: proposed(credential.schema.block, v6, cfg), config: cfg, client: undefined }, diags)
        .requiresReplace,
    ).toEqual([["credential_age_days"]]);
  });

  it("restores the id from its parts, and the parts from the id", () => {
    const noId = normalizeOfficialCredentialState(
      stored(credential, { id: "", service_name: "codecommit.amazonaws.com", user_name: "example", service_specific_credential_id: "ACCA1234567890EXAMPLE" }),
    );
    expect(getAttribute(noId, "id")).toEqual(known("codecommit.amazonaws.com:example:ACCA1234567890EXAMPLE"));
    const onlyId = normalizeOfficialCredentialState(stored(credential, { id: "codecommit.amazonaws.com:example:ACCA1234567890EXAMPLE" }));
    expect(getAttribute(onlyId, "service_specific_credential_id")).toEqual(known("ACCA1234567890EXAMPLE"));
    expect(getAttribute(onlyId, "user_name")).toEqual(known("example"));
  });

  it("leaves states this provider wrote unchanged", () => {
    const own = [
      stored(credential, {
        id: "codecommit.amazonaws.com:example:ACCA1234567890EXAMPLE",
        service_name: "codecommit.amazonaws.com",
        user_name: "example",
        status: "Active",
        service_password: PASSWORD,
        service_user_name: "example-at-123456789012",
        service_specific_credential_id: "ACCA1234567890EXAMPLE",
        create_date: "2025-10-01T12:34:56Z",
      }),
      stored(credential, {
        id: "logs.amazonaws.com:example:ACCA1234567890APIKEY",
        service_name: "logs.amazonaws.com",
        user_name: "example",
        status: "Expired",
        credential_age_days: 1,
        service_credential_secret: SECRET,
        service_credential_alias: "example+1-at-123456789012",
        service_specific_credential_id: "ACCA1234567890APIKEY",
        create_date: "2025-10-01T12:34:56Z",
        expiration_date: "2025-10-02T12:34:56Z",
      }),
    ];
    for (const state of own) expect(normalizeOfficialCredentialState(state)).toBe(state);
  });
});

describe("official user states", () => {
  const official = OFFICIAL_USER_ATTRIBUTES;
  const userConfig = config(iamUser, { name: "example" });

  it("an empty boundary and empty tags become null, so a configuration with neither plans no change", () => {
    const raw = stored(iamUser, official);
    const state = normalizeOfficialUserState(raw);
    expect(isNull(getAttribute(state, "permissions_boundary"))).toBe(true);
    expect(isNull(getAttribute(state, "tags"))).toBe(true);
    expect(asMap(getAttribute(state, "tags_all"))?.size).toBe(0);
    expectEmptyPlan(iamUser, state, userConfig);
    // The raw state plans changes: the check can fail.
    const planned = planResourceChange(
      iamUser,
      { prior: raw, proposed: proposed(iamUser.schema.block, raw, userConfig), config: userConfig, client: undefined },
      new Diagnostics(),
    ).planned;
    expect(valuesEqual(getAttribute(planned, "permissions_boundary"), getAttribute(raw, "permissions_boundary"))).toBe(false);
  });

  it("keeps real tags and a real boundary, and fills force_destroy, path and id", () => {
    const boundary = "arn:aws:iam::123456789012:policy/boundary";
    const state = normalizeOfficialUserState(
      stored(iamUser, { ...official, id: "", force_destroy: undefined, path: "", permissions_boundary: boundary, tags: { team: "a" }, tags_all: null }),
    );
    expect(getAttribute(state, "permissions_boundary")).toEqual(known(boundary));
    expect(asMap(getAttribute(state, "tags"))?.get("team")).toEqual(known("a"));
    expect(asMap(getAttribute(state, "tags_all"))?.get("team")).toEqual(known("a"));
    expect(getAttribute(state, "force_destroy")).toEqual(known(false));
    expect(getAttribute(state, "path")).toEqual(known("/"));
    expect(getAttribute(state, "id")).toEqual(known("example"));
    expectEmptyPlan(iamUser, state, config(iamUser, { name: "example", permissions_boundary: boundary, tags: { team: "a" } }));
  });

  it("empty tags beside a boundary are taken for SDKv2's only when a move says so", () => {
    const raw = stored(iamUser, { ...official, permissions_boundary: "arn:aws:iam::123456789012:policy/b" });
    expect(asMap(getAttribute(normalizeOfficialUserState(raw), "tags"))?.size).toBe(0);
    expect(isNull(getAttribute(normalizeOfficialUserState(raw, { writtenBySdkv2: true }), "tags"))).toBe(true);
  });

  it("leaves states this provider wrote unchanged, `tags = {}` included", () => {
    const own = [
      stored(iamUser, { ...official, permissions_boundary: null, tags: null }),
      stored(iamUser, { ...official, permissions_boundary: null, tags: {} }),
      stored(iamUser, {
        ...official,
        permissions_boundary: "arn:aws:iam::123456789012:policy/b",
        tags: { a: "b" },
        tags_all: { a: "b", env: "x" },
        force_destroy: true,
      }),
    ];
    for (const state of own) expect(normalizeOfficialUserState(state)).toBe(state);
  });
});
