/**
 * Implements the tfplugin6 ProviderServer on top of framework definitions: decodes values by
 * schema, runs validators and the plan pipeline, calls the resource or data source, and returns
 * diagnostics. Resources and data sources never see the wire; this file is where values cross it.
 */
import type * as tf from "../generated/protocol-types.ts";
import type { ProviderServer, RpcCall } from "../protocol/provider-server.ts";
import type { CtyType } from "../values/cty-type.ts";
import type { Value } from "../values/value.ts";
import { NULL, asMap, containsUnknown, isKnown, isNull, known, withAttributes } from "../values/value.ts";
import { decodeDynamicValue, encodeDynamicValue } from "../protocol/dynamic-value.ts";
import { decodeJson } from "../protocol/json-codec.ts";
import type { Logger } from "../logging/logger.ts";
import type { DataSource } from "./data-source.ts";
import { Diagnostics, formatPath, type AttributePath } from "./diagnostics.ts";
import type { Provider } from "./provider.ts";
import type { Resource } from "./resource.ts";
import type { PrivateNotes } from "./resource-requests.ts";
import type { RequestContext } from "./request-context.ts";
import type { BlockSchema } from "./schema.ts";
import { blockType } from "./schema.ts";
import { forEachAttribute, normalizeObject, registerSecrets, unknownsToNull } from "./object-values.ts";
import { planResourceChange } from "./plan-pipeline.ts";
import { NO_PRIVATE, originMarker, readPrivate, sameNotes, writePrivate } from "./private-state.ts";
import { blockToWire, diagnosticsToWire, schemaToWire } from "./wire-schema.ts";

interface FrameworkServerOptions {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** The source address this process answers to (for moves between providers). */
  providerAddress?: string;
}

type WireDynamic = tf.DynamicValue | null | undefined;

export class FrameworkServer<Client> implements ProviderServer {
  private readonly resources = new Map<string, Resource<Client>>();
  private readonly dataSources = new Map<string, DataSource<Client>>();
  private client: Client | undefined;
  private stop = new AbortController();
  private readonly providerType: CtyType;

  constructor(
    private readonly provider: Provider<Client>,
    private readonly options: FrameworkServerOptions,
  ) {
    for (const r of provider.resources) this.resources.set(r.typeName, r);
    for (const d of provider.dataSources ?? []) this.dataSources.set(d.typeName, d);
    this.providerType = blockType(provider.schema);
  }

  async getMetadata(): Promise<tf.GetMetadata_Response> {
    return {
      server_capabilities: capabilities,
      resources: [...this.resources.keys()].map((type_name) => ({ type_name })),
      data_sources: [...this.dataSources.keys()].map((type_name) => ({ type_name })),
      functions: [],
      ephemeral_resources: [],
      diagnostics: [],
    };
  }

  async getProviderSchema(): Promise<tf.GetProviderSchema_Response> {
    const resource_schemas: Record<string, tf.Schema> = {};
    for (const [name, r] of this.resources) resource_schemas[name] = schemaToWire(r.schema);
    const data_source_schemas: Record<string, tf.Schema> = {};
    for (const [name, d] of this.dataSources) data_source_schemas[name] = schemaToWire(d.schema);
    return {
      provider: { version: 0, block: blockToWire(this.provider.schema) },
      resource_schemas,
      data_source_schemas,
      functions: {},
      ephemeral_resource_schemas: {},
      server_capabilities: capabilities,
      diagnostics: [],
    };
  }

  async validateProviderConfig(req: tf.ValidateProviderConfig_Request): Promise<tf.ValidateProviderConfig_Response> {
    const diags = new Diagnostics();
    const config = this.decode(req.config, this.providerType, diags, "provider configuration");
    if (!diags.hasErrors()) {
      runValidators(this.provider.schema, config, diags);
      this.provider.validateConfig?.(config, diags);
    }
    return { diagnostics: diagnosticsToWire(diags.items) };
  }

  async configureProvider(req: tf.ConfigureProvider_Request, call?: RpcCall): Promise<tf.ConfigureProvider_Response> {
    const diags = new Diagnostics();
    const config = this.decode(req.config, this.providerType, diags, "provider configuration");
    if (!diags.hasErrors()) {
      registerSecrets(this.provider.schema, config);
      this.client = await this.provider.configure(config, { signal: this.signal(call), env: this.options.env ?? process.env }, diags);
    }
    return { diagnostics: diagnosticsToWire(diags.items) };
  }

  async validateResourceConfig(req: tf.ValidateResourceConfig_Request): Promise<tf.ValidateResourceConfig_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (resource) {
      const config = this.decode(req.config, blockType(resource.schema.block), diags, "configuration");
      if (!diags.hasErrors()) validateConfig(resource, config, diags);
    }
    return { diagnostics: diagnosticsToWire(diags.items) };
  }

  async upgradeResourceState(req: tf.UpgradeResourceState_Request): Promise<tf.UpgradeResourceState_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return { diagnostics: diagnosticsToWire(diags.items) };
    const block = resource.schema.block;
    const type = blockType(block);
    const version = Number(req.version ?? 0);
    if (version > resource.schema.version) {
      diags.error(
        "State written by a newer provider",
        `The state of this ${req.type_name} was written with schema version ${version}, but this provider knows version ${resource.schema.version}. Upgrade the provider.`,
      );
      return { diagnostics: diagnosticsToWire(diags.items) };
    }
    let state: Value = NULL;
    const json = req.raw_state?.json;
    if (json && json.length > 0) {
      try {
        // Attributes an older schema had are dropped; numbers stay exact (no JSON.parse round trip).
        state = decodeJson(json, type, { ignoreUndefinedAttributes: true });
      } catch (err) {
        diags.error("Unreadable stored state", `The stored state of this ${req.type_name} could not be read: ${message(err)}`);
      }
    } else if (req.raw_state?.flatmap && Object.keys(req.raw_state.flatmap).length > 0) {
      diags.error("Unsupported state format", "This state was written by Terraform 0.11 or earlier, which this provider cannot read.");
    }
    registerSecrets(block, state);
    if (resource.upgradeState && isKnown(state)) {
      const resp = { state: normalizeObject(block, state), diagnostics: diags };
      resource.upgradeState({ version, state: resp.state }, resp);
      state = normalizeObject(block, resp.state);
      registerSecrets(block, state);
    }
    // Always answer with upgraded_state: an empty one drops the object from state.
    return { upgraded_state: encodeDynamicValue(normalizeObject(block, state), type), diagnostics: diagnosticsToWire(diags.items) };
  }

  async readResource(req: tf.ReadResource_Request, call?: RpcCall): Promise<tf.ReadResource_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return { diagnostics: diagnosticsToWire(diags.items) };
    const block = resource.schema.block;
    const type = blockType(block);
    const current = this.decode(req.current_state, type, diags, "current state");
    if (diags.hasErrors()) return { diagnostics: diagnosticsToWire(diags.items) };
    registerSecrets(block, current);
    const { origin, notes } = readPrivate(req.private);
    const ctx = this.context(diags, call);
    const resp = { state: current, private: { ...notes }, diagnostics: diags };
    if (ctx && !isNull(current)) {
      await resource.read({ ...ctx, state: current, private: notes, afterImport: origin === "import", afterCreate: origin === "create" }, resp);
    }
    const next = normalizeObject(block, unknownsToNull(resp.state));
    registerSecrets(block, next);
    // On error the prior object is kept so a failed refresh never drops it from state.
    const failed = diags.hasErrors() && isNull(next);
    const notesChanged = !sameNotes(notes, resp.private);
    return {
      new_state: encodeDynamicValue(failed ? current : next, type),
      diagnostics: diagnosticsToWire(diags.items),
      // The origin notes last until the first read that finds the object.
      private: (origin && !failed) || notesChanged ? writePrivate(failed ? origin : undefined, resp.private) : (req.private ?? NO_PRIVATE),
    };
  }

  async planResourceChange(req: tf.PlanResourceChange_Request): Promise<tf.PlanResourceChange_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return { diagnostics: diagnosticsToWire(diags.items) };
    const block = resource.schema.block;
    const type = blockType(block);
    const prior = this.decode(req.prior_state, type, diags, "prior state");
    const proposed = this.decode(req.proposed_new_state, type, diags, "proposed state");
    const config = this.decode(req.config, type, diags, "configuration");
    if (diags.hasErrors()) return { diagnostics: diagnosticsToWire(diags.items) };
    registerSecrets(block, prior);
    // Validators run again here: at validate time the values may still have been unknown.
    if (!isNull(config)) {
      validateConfig(resource, config, diags);
      if (diags.hasErrors()) return { diagnostics: diagnosticsToWire(diags.items) };
    }
    const { notes } = readPrivate(req.prior_private);
    if (resource.beforePlan && !isNull(proposed)) {
      await resource.beforePlan({ prior, config, proposed, client: this.client, private: notes, signal: this.signal(undefined) }, { diagnostics: diags });
      if (diags.hasErrors()) return { diagnostics: diagnosticsToWire(diags.items) };
    }
    const change = planResourceChange(resource, { prior, proposed, config, client: this.client, private: notes }, diags, this.options.logger);
    return {
      planned_state: encodeDynamicValue(change.planned, type),
      requires_replace: change.requiresReplace.map((path) => diagnosticsPath(path)),
      planned_private: req.prior_private ?? Buffer.alloc(0),
      diagnostics: diagnosticsToWire(diags.items),
    };
  }

  async applyResourceChange(req: tf.ApplyResourceChange_Request, call?: RpcCall): Promise<tf.ApplyResourceChange_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return { diagnostics: diagnosticsToWire(diags.items) };
    const block = resource.schema.block;
    const type = blockType(block);
    const prior = this.decode(req.prior_state, type, diags, "prior state");
    const planned = this.decode(req.planned_state, type, diags, "planned state");
    const config = this.decode(req.config, type, diags, "configuration");
    const plannedPrivate = readPrivate(req.planned_private);
    const ctx = diags.hasErrors() ? undefined : this.context(diags, call);
    if (!ctx) return { new_state: encodeDynamicValue(prior, type), diagnostics: diagnosticsToWire(diags.items) };
    registerSecrets(block, prior);

    const notes = plannedPrivate.notes;
    let next: Value;
    let changedNotes: PrivateNotes = notes;
    if (isNull(planned)) {
      await resource.delete({ ...ctx, prior, private: notes }, { diagnostics: diags });
      // A failed delete keeps the object in state.
      next = diags.hasErrors() ? prior : NULL;
    } else if (isNull(prior)) {
      const resp = { state: NULL as Value, private: { ...notes }, diagnostics: diags };
      await resource.create({ ...ctx, planned, config, private: notes }, resp);
      next = resp.state;
      changedNotes = resp.private;
    } else {
      const resp = { state: prior, private: { ...notes }, diagnostics: diags };
      await resource.update({ ...ctx, prior, planned, config, private: notes }, resp);
      next = resp.state;
      changedNotes = resp.private;
    }
    next = isNull(next) ? NULL : normalizeObject(block, unknownsToNull(next));
    registerSecrets(block, next);
    return {
      new_state: encodeDynamicValue(next, type),
      private:
        isNull(prior) && !isNull(next)
          ? writePrivate("create", changedNotes)
          : sameNotes(notes, changedNotes)
            ? (req.planned_private ?? NO_PRIVATE)
            : writePrivate(plannedPrivate.origin, changedNotes),
      diagnostics: diagnosticsToWire(diags.items),
    };
  }

  async importResourceState(req: tf.ImportResourceState_Request): Promise<tf.ImportResourceState_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return { diagnostics: diagnosticsToWire(diags.items) };
    const imported = { state: NULL as Value, diagnostics: diags };
    resource.importState({ id: req.id ?? "" }, imported);
    const state = imported.state;
    if (diags.hasErrors()) return { diagnostics: diagnosticsToWire(diags.items) };
    const block = resource.schema.block;
    return {
      imported_resources: [
        {
          type_name: resource.typeName,
          state: encodeDynamicValue(normalizeObject(block, isKnown(state) ? state : known(new Map())), blockType(block)),
          private: originMarker("import"),
        },
      ],
      diagnostics: diagnosticsToWire(diags.items),
    };
  }

  async moveResourceState(req: tf.MoveResourceState_Request): Promise<tf.MoveResourceState_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.target_type_name, diags);
    if (!resource) return { diagnostics: diagnosticsToWire(diags.items) };
    const source = `${req.source_type_name || "(no type)"} of provider ${req.source_provider_address || "(no address)"}`;
    if (!resource.moveState) {
      diags.error("Move not supported", `${resource.typeName} cannot take over the state of ${source}: this resource type accepts no moved blocks.`);
      return { diagnostics: diagnosticsToWire(diags.items) };
    }
    const block = resource.schema.block;
    const type = blockType(block);
    const raw = req.source_state?.json ?? new Uint8Array();
    const moved = { targetState: undefined as Value | undefined, targetPrivate: undefined as Uint8Array | undefined, diagnostics: diags };
    resource.moveState(
      {
        targetProviderAddress: this.options.providerAddress,
        sourceProviderAddress: req.source_provider_address ?? "",
        sourceTypeName: req.source_type_name ?? "",
        sourceSchemaVersion: Number(req.source_schema_version ?? 0),
        sourceRawState: raw,
        sourcePrivate: req.source_private ?? NO_PRIVATE,
        decodeSourceState: (d) => {
          if (raw.length === 0) {
            d.error("No state to move", `Terraform sent no JSON state for ${source}; state written by Terraform 0.11 or earlier cannot be moved.`);
            return undefined;
          }
          try {
            const value = decodeJson(raw, type, { ignoreUndefinedAttributes: true });
            registerSecrets(block, value);
            if (isKnown(value)) return normalizeObject(block, value);
            d.error("No state to move", `The stored state of ${source} is null.`);
          } catch (err) {
            d.error("Unreadable source state", `The state of ${source} could not be read as ${resource.typeName}: ${message(err)}`);
          }
          return undefined;
        },
      },
      moved,
    );
    if (moved.targetState === undefined || diags.hasErrors()) return { diagnostics: diagnosticsToWire(diags.items) };
    const target = normalizeObject(block, moved.targetState);
    registerSecrets(block, target);
    return {
      target_state: encodeDynamicValue(target, type),
      // Another provider's private data means nothing here.
      target_private: moved.targetPrivate ?? NO_PRIVATE,
      diagnostics: diagnosticsToWire(diags.items),
    };
  }

  async validateDataResourceConfig(req: tf.ValidateDataResourceConfig_Request): Promise<tf.ValidateDataResourceConfig_Response> {
    const diags = new Diagnostics();
    const dataSource = this.dataSource(req.type_name, diags);
    if (dataSource) {
      const config = this.decode(req.config, blockType(dataSource.schema.block), diags, "configuration");
      if (!diags.hasErrors()) validateConfig(dataSource, config, diags);
    }
    return { diagnostics: diagnosticsToWire(diags.items) };
  }

  async readDataSource(req: tf.ReadDataSource_Request, call?: RpcCall): Promise<tf.ReadDataSource_Response> {
    const diags = new Diagnostics();
    const dataSource = this.dataSource(req.type_name, diags);
    if (!dataSource) return { diagnostics: diagnosticsToWire(diags.items) };
    const block = dataSource.schema.block;
    const type = blockType(block);
    const config = this.decode(req.config, type, diags, "configuration");
    if (diags.hasErrors()) return { diagnostics: diagnosticsToWire(diags.items) };
    if (isNull(config)) {
      diags.error("No configuration", `Terraform sent no configuration to read ${dataSource.typeName} with; this is a bug in Terraform or in the client.`);
      return { diagnostics: diagnosticsToWire(diags.items) };
    }
    // Terraform plans the read itself while the configuration has unknowns (and never defers to
    // the provider outside experiments); a read with unknowns is a client's mistake, not a read.
    for (const path of unknownPaths(block, config)) {
      diags.error(
        "Configuration not yet known",
        `${path.length > 0 ? formatPath(path) : "The configuration"} is not known yet, so ${dataSource.typeName} cannot be read; Terraform reads data sources once their configuration is known.`,
        path,
      );
    }
    if (diags.hasErrors()) return { diagnostics: diagnosticsToWire(diags.items) };
    // Terraform validates right before it reads; a client that does not is checked here.
    validateConfig(dataSource, config, diags);
    const ctx = diags.hasErrors() ? undefined : this.context(diags, call);
    if (!ctx) return { diagnostics: diagnosticsToWire(diags.items) };
    registerSecrets(block, config);
    const resp = { state: NULL as Value, diagnostics: diags };
    await dataSource.read({ ...ctx, config }, resp);
    const read = resp.state;
    // On error Terraform discards the state; an object that is missing or not an object is a bug.
    if (diags.hasErrors()) return { diagnostics: diagnosticsToWire(diags.items) };
    if (!isKnown(read) || !asMap(read)) {
      diags.error("Data source returned no object", `${dataSource.typeName} returned no object and no error; this is a bug in the provider.`);
      return { diagnostics: diagnosticsToWire(diags.items) };
    }
    // Attributes the read leaves out keep their configured value; Terraform wants a wholly known object.
    const state = normalizeObject(block, unknownsToNull(withAttributes(config, Object.fromEntries(asMap(read)!))));
    registerSecrets(block, state);
    return { state: encodeDynamicValue(state, type), diagnostics: diagnosticsToWire(diags.items) };
  }

  async validateEphemeralResourceConfig(req: tf.ValidateEphemeralResourceConfig_Request): Promise<tf.ValidateEphemeralResourceConfig_Response> {
    return unsupported(`This provider has no ephemeral resource "${req.type_name}".`);
  }

  async openEphemeralResource(req: tf.OpenEphemeralResource_Request): Promise<tf.OpenEphemeralResource_Response> {
    return unsupported(`This provider has no ephemeral resource "${req.type_name}".`);
  }

  async renewEphemeralResource(req: tf.RenewEphemeralResource_Request): Promise<tf.RenewEphemeralResource_Response> {
    return unsupported(`This provider has no ephemeral resource "${req.type_name}".`);
  }

  async closeEphemeralResource(req: tf.CloseEphemeralResource_Request): Promise<tf.CloseEphemeralResource_Response> {
    return unsupported(`This provider has no ephemeral resource "${req.type_name}".`);
  }

  async getFunctions(): Promise<tf.GetFunctions_Response> {
    return { functions: {}, diagnostics: [] };
  }

  async callFunction(req: tf.CallFunction_Request): Promise<tf.CallFunction_Response> {
    return { error: { text: `This provider has no function "${req.name}".` } };
  }

  async stopProvider(): Promise<tf.StopProvider_Response> {
    this.options.logger.info("StopProvider received: cancelling in-flight requests");
    this.stop.abort(new Error("Terraform asked the provider to stop"));
    this.stop = new AbortController();
    return { Error: "" };
  }

  private resource(typeName: string | null | undefined, diags: Diagnostics): Resource<Client> | undefined {
    const r = this.resources.get(typeName ?? "");
    if (!r) diags.error("Unknown resource type", `This provider has no resource type "${typeName}".`);
    return r;
  }

  private dataSource(typeName: string | null | undefined, diags: Diagnostics): DataSource<Client> | undefined {
    const d = this.dataSources.get(typeName ?? "");
    if (!d) diags.error("Unknown data source", `This provider has no data source "${typeName}".`);
    return d;
  }

  /** Aborted by StopProvider, and by the call's own cancel or deadline when there is a call. */
  private signal(call: RpcCall | undefined): AbortSignal {
    return call ? AbortSignal.any([this.stop.signal, call.signal]) : this.stop.signal;
  }

  private context(diags: Diagnostics, call?: RpcCall): RequestContext<Client> | undefined {
    if (this.client === undefined) {
      diags.error(
        "Provider not configured",
        "The provider was asked to manage a resource or read a data source before it was configured; this is a bug in the provider or in Terraform.",
      );
      return undefined;
    }
    return { client: this.client, signal: this.signal(call), logger: this.options.logger };
  }

  private decode(dv: WireDynamic, type: CtyType, diags: Diagnostics, what: string): Value {
    try {
      return decodeDynamicValue(dv, type);
    } catch (err) {
      diags.error("Invalid value from Terraform", `The ${what} could not be decoded: ${message(err)}`);
      return NULL;
    }
  }
}

const capabilities: tf.ServerCapabilities = { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true };

function unsupported(detail: string): { diagnostics: tf.Diagnostic[] } {
  return { diagnostics: [{ severity: "ERROR", summary: "Not supported", detail }] };
}

/** Validate-time checks of a data source's configuration, as for a resource's. */
/** The checks of a configuration, for resources and data sources alike: schema, validators, then the type's own. */
function validateConfig(configurable: Pick<Resource<unknown> | DataSource<unknown>, "schema" | "validateConfig">, config: Value, diags: Diagnostics): void {
  rejectReadOnly(configurable.schema.block, config, diags);
  runValidators(configurable.schema.block, config, diags);
  configurable.validateConfig?.({ config }, { diagnostics: diags });
}

/** Where a configuration still holds unknowns: the attributes themselves, or the whole object. */
function unknownPaths(block: BlockSchema, config: Value): AttributePath[] {
  if (!isKnown(config)) return [[]];
  const paths: AttributePath[] = [];
  forEachAttribute(block, config, (_schema, value, path) => {
    if (containsUnknown(value)) paths.push(path);
  });
  // An unknown nested block is not an attribute: name the object then.
  if (paths.length === 0 && containsUnknown(config)) paths.push([]);
  return paths;
}

function runValidators(block: BlockSchema, config: Value, diags: Diagnostics): void {
  forEachAttribute(block, config, (schema, value, path) => {
    if (!isKnown(value) || !schema.validators) return;
    for (const v of schema.validators) v.validate(value, path, diags);
  });
}

/**
 * Terraform core lets a configuration set a computed-only attribute and leaves refusing it to
 * the provider (as the SDKs do); unchecked, the value is planned and then contradicted by apply.
 * Unknown counts as set: it will be a value.
 */
function rejectReadOnly(block: BlockSchema, config: Value, diags: Diagnostics): void {
  forEachAttribute(block, config, (schema, value, path) => {
    if (!schema.computed || schema.optional || schema.required || isNull(value)) return;
    diags.error(
      "Invalid configuration for read-only attribute",
      `${formatPath(path)} is set by the provider and cannot be configured. Remove this argument from the configuration.`,
      path,
    );
  });
}

function diagnosticsPath(path: readonly (string | number | { key: string })[]): tf.AttributePath {
  return diagnosticsToWire([{ severity: "error", summary: "", detail: "", path }])[0]!.attribute!;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
