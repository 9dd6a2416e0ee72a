import { cloudShell } from './datasources/cloudshell.js';
import type { Datasource } from './datasources/datasource.js';
import { durableWorkflow } from './datasources/durable.js';
import { paymentWorkflow } from './datasources/payment.js';
import { refold } from './datasources/refold.js';
import { serverlessWorkflow } from './datasources/serverless.js';
import { CloudShellExecution } from './resolvers/CloudShellExecution.js';
import { DurableWorkflowExecution } from './resolvers/DurableWorkflowExecution.js';
import type { ExecutionType, GraphQLProvider } from './resolvers/execution-type.js';
import { PaymentWorkflowExecution } from './resolvers/PaymentWorkflowExecution.js';
import { RefoldExecution } from './resolvers/RefoldExecution.js';
import { ServerlessWorkflowExecution } from './resolvers/ServerlessWorkflowExecution.js';
import type { SimulatorDefinition } from './simulators/server.js';

/**
 * One provider, a file per layer: its REST API (`src/datasources/<key>.ts`), its GraphQL type
 * (`schema/<key>.graphql` and its resolver file) and its simulator. Everything else (id prefixes,
 * environment variables, codegen mappers, the demo, GraphiQL's example, the benchmark, the
 * per-provider tests) is derived from the list below.
 */
export interface RegisteredProvider<Raw = unknown> extends GraphQLProvider<Raw> {
  /**
   * Loads its simulator, test and demo code: the production start-up never calls it, so no
   * simulator module is loaded there.
   */
  simulator(): Promise<SimulatorDefinition>;
}

/** A provider whose datasource and GraphQL type agree on its raw JSON. */
export function provider<Raw>(
  datasource: Datasource<Raw>,
  type: ExecutionType<Raw>,
  simulator: () => Promise<SimulatorDefinition>,
  schema?: URL,
): RegisteredProvider {
  return schema ? { datasource, type, simulator, schema } : { datasource, type, simulator };
}

/** Every provider this service knows, one line each. */
export const providers: readonly RegisteredProvider[] = [
  provider(
    cloudShell,
    CloudShellExecution,
    async () => (await import('./simulators/cloudshell.js')).cloudShellSimulator,
  ),
  provider(
    durableWorkflow,
    DurableWorkflowExecution,
    async () => (await import('./simulators/durable.js')).durableSimulator,
  ),
  provider(
    refold,
    RefoldExecution,
    async () => (await import('./simulators/refold.js')).refoldSimulator,
  ),
  provider(
    paymentWorkflow,
    PaymentWorkflowExecution,
    async () => (await import('./simulators/payment.js')).paymentSimulator,
  ),
  provider(
    serverlessWorkflow,
    ServerlessWorkflowExecution,
    async () => (await import('./simulators/serverless.js')).serverlessSimulator,
  ),
];

/** What configuration reads of `registry`'s providers: their datasources (`loadConfig`). */
export function settingsOf(
  registry: readonly RegisteredProvider[],
): readonly Datasource<unknown>[] {
  return registry.map(({ datasource }) => datasource);
}

/** What configuration reads of every provider. */
export const providerSettings = settingsOf(providers);
