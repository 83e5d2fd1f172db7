/**
 * The tfplugin6 ProviderServer on top of framework definitions, as a thin shell: each RPC looks
 * up its resource or data source, converts the request in (from-wire.ts), runs the operation
 * (provider-, resource- and data-source-operations.ts) and converts the response out
 * (to-wire.ts). What lives here is what outlasts one call: the configured client and the
 * StopProvider signal.
 */
import type * as tf from "../generated/protocol-types.ts";
import type { ProviderServer, RpcCall } from "../protocol/provider-server.ts";
import type { Logger } from "../logging/logger.ts";
import type { DataSource } from "./data-source.ts";
import { Diagnostics } from "./diagnostics.ts";
import type { OperationContext } from "./operation-context.ts";
import type { Provider } from "./provider.ts";
import type { Resource } from "./resource.ts";
import { blockType } from "./schema.ts";
import * as fromWire from "./from-wire.ts";
import * as toWire from "./to-wire.ts";
import { configureProvider, validateProviderConfig } from "./provider-operations.ts";
import {
  applyResourceChange,
  importResourceState,
  moveResourceState,
  planResourceChange,
  readResource,
  upgradeResourceState,
  validateResourceConfig,
} from "./resource-operations.ts";
import { readDataSource, validateDataResourceConfig } from "./data-source-operations.ts";

interface FrameworkServerOptions {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** The source address this process answers to (for moves between providers). */
  providerAddress?: string;
}

export class FrameworkServer<Client> implements ProviderServer {
  private readonly resources = new Map<string, Resource<Client>>();
  private readonly dataSources = new Map<string, DataSource<Client>>();
  private client: Client | undefined;
  private stop = new AbortController();

  constructor(
    private readonly provider: Provider<Client>,
    private readonly options: FrameworkServerOptions,
  ) {
    for (const r of provider.resources) this.resources.set(r.typeName, r);
    for (const d of provider.dataSources ?? []) this.dataSources.set(d.typeName, d);
  }

  async getMetadata(): Promise<tf.GetMetadata_Response> {
    return toWire.getMetadataResponseToWire([...this.resources.values()], [...this.dataSources.values()]);
  }

  async getProviderSchema(): Promise<tf.GetProviderSchema_Response> {
    return toWire.getProviderSchemaResponseToWire(this.provider.schema, [...this.resources.values()], [...this.dataSources.values()]);
  }

  async validateProviderConfig(req: tf.ValidateProviderConfig_Request): Promise<tf.ValidateProviderConfig_Response> {
    const diags = new Diagnostics();
    const request = fromWire.validateProviderConfigRequestFromWire(req, this.provider.schema, diags);
    return toWire.diagnosticsResponseToWire(validateProviderConfig(this.provider, request, diags));
  }

  async configureProvider(req: tf.ConfigureProvider_Request, call?: RpcCall): Promise<tf.ConfigureProvider_Response> {
    const diags = new Diagnostics();
    const request = fromWire.configureProviderRequestFromWire(req, this.provider.schema, diags);
    const resp = await configureProvider(this.provider, request, { signal: this.signal(call), env: this.options.env ?? process.env }, diags);
    if (resp.configured) this.client = resp.configured.client;
    return toWire.diagnosticsResponseToWire(resp);
  }

  async validateResourceConfig(req: tf.ValidateResourceConfig_Request): Promise<tf.ValidateResourceConfig_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return toWire.diagnosticsResponseToWire({ diagnostics: diags });
    const request = fromWire.validateResourceConfigRequestFromWire(req, resource.schema, diags);
    return toWire.diagnosticsResponseToWire(validateResourceConfig(resource, request, diags));
  }

  async upgradeResourceState(req: tf.UpgradeResourceState_Request): Promise<tf.UpgradeResourceState_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return toWire.diagnosticsResponseToWire({ diagnostics: diags });
    const request = fromWire.upgradeResourceStateRequestFromWire(req, resource.schema, diags);
    return toWire.upgradeResourceStateResponseToWire(upgradeResourceState(resource, request, diags), blockType(resource.schema.block));
  }

  async readResource(req: tf.ReadResource_Request, call?: RpcCall): Promise<tf.ReadResource_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return toWire.diagnosticsResponseToWire({ diagnostics: diags });
    const request = fromWire.readResourceRequestFromWire(req, resource.schema, diags);
    const resp = await readResource(resource, request, this.context(call), diags);
    return toWire.readResourceResponseToWire(resp, blockType(resource.schema.block));
  }

  async planResourceChange(req: tf.PlanResourceChange_Request): Promise<tf.PlanResourceChange_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return toWire.diagnosticsResponseToWire({ diagnostics: diags });
    const request = fromWire.planResourceChangeRequestFromWire(req, resource.schema, diags);
    const resp = await planResourceChange(resource, request, this.context(undefined), diags);
    return toWire.planResourceChangeResponseToWire(resp, blockType(resource.schema.block));
  }

  async applyResourceChange(req: tf.ApplyResourceChange_Request, call?: RpcCall): Promise<tf.ApplyResourceChange_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return toWire.diagnosticsResponseToWire({ diagnostics: diags });
    const request = fromWire.applyResourceChangeRequestFromWire(req, resource.schema, diags);
    const resp = await applyResourceChange(resource, request, this.context(call), diags);
    return toWire.applyResourceChangeResponseToWire(resp, blockType(resource.schema.block));
  }

  async importResourceState(req: tf.ImportResourceState_Request): Promise<tf.ImportResourceState_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.type_name, diags);
    if (!resource) return toWire.diagnosticsResponseToWire({ diagnostics: diags });
    const resp = importResourceState(resource, fromWire.importResourceStateRequestFromWire(req), diags);
    return toWire.importResourceStateResponseToWire(resp, blockType(resource.schema.block));
  }

  async moveResourceState(req: tf.MoveResourceState_Request): Promise<tf.MoveResourceState_Response> {
    const diags = new Diagnostics();
    const resource = this.resource(req.target_type_name, diags);
    if (!resource) return toWire.diagnosticsResponseToWire({ diagnostics: diags });
    const request = fromWire.moveResourceStateRequestFromWire(req, resource.schema);
    const resp = moveResourceState(resource, request, this.options.providerAddress, diags);
    return toWire.moveResourceStateResponseToWire(resp, blockType(resource.schema.block));
  }

  async validateDataResourceConfig(req: tf.ValidateDataResourceConfig_Request): Promise<tf.ValidateDataResourceConfig_Response> {
    const diags = new Diagnostics();
    const dataSource = this.dataSource(req.type_name, diags);
    if (!dataSource) return toWire.diagnosticsResponseToWire({ diagnostics: diags });
    const request = fromWire.validateDataResourceConfigRequestFromWire(req, dataSource.schema, diags);
    return toWire.diagnosticsResponseToWire(validateDataResourceConfig(dataSource, request, diags));
  }

  async readDataSource(req: tf.ReadDataSource_Request, call?: RpcCall): Promise<tf.ReadDataSource_Response> {
    const diags = new Diagnostics();
    const dataSource = this.dataSource(req.type_name, diags);
    if (!dataSource) return toWire.diagnosticsResponseToWire({ diagnostics: diags });
    const request = fromWire.readDataSourceRequestFromWire(req, dataSource.schema, diags);
    const resp = await readDataSource(dataSource, request, this.context(call), diags);
    return toWire.readDataSourceResponseToWire(resp, blockType(dataSource.schema.block));
  }

  async validateEphemeralResourceConfig(req: tf.ValidateEphemeralResourceConfig_Request): Promise<tf.ValidateEphemeralResourceConfig_Response> {
    return toWire.unsupportedResponseToWire(`This provider has no ephemeral resource "${req.type_name}".`);
  }

  async openEphemeralResource(req: tf.OpenEphemeralResource_Request): Promise<tf.OpenEphemeralResource_Response> {
    return toWire.unsupportedResponseToWire(`This provider has no ephemeral resource "${req.type_name}".`);
  }

  async renewEphemeralResource(req: tf.RenewEphemeralResource_Request): Promise<tf.RenewEphemeralResource_Response> {
    return toWire.unsupportedResponseToWire(`This provider has no ephemeral resource "${req.type_name}".`);
  }

  async closeEphemeralResource(req: tf.CloseEphemeralResource_Request): Promise<tf.CloseEphemeralResource_Response> {
    return toWire.unsupportedResponseToWire(`This provider has no ephemeral resource "${req.type_name}".`);
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

  /** Aborted by StopProvider, and by the call's own cancel or deadline when there is a call (PlanResourceChange is given none). */
  private signal(call: RpcCall | undefined): AbortSignal {
    return call ? AbortSignal.any([this.stop.signal, call.signal]) : this.stop.signal;
  }

  private context(call: RpcCall | undefined): OperationContext<Client> {
    return { client: this.client, signal: this.signal(call), logger: this.options.logger };
  }
}
