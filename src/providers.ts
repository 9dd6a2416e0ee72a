import { cloudShell } from './datasources/cloudshell.js';
import type { Datasource } from './datasources/datasource.js';
import { durableWorkflow } from './datasources/durable.js';
import { paymentWorkflow } from './datasources/payment.js';
import { refold } from './datasources/refold.js';
import { serverlessWorkflow } from './datasources/serverless.js';
import { CloudShellExecution } from './resolvers/CloudShellExecution.js';
import { DurableWorkflowExecution } from './resolvers/DurableWorkflowExecution.js';
import type { ExecutionType } from './resolvers/execution-type.js';
import { PaymentWorkflowExecution } from './resolvers/PaymentWorkflowExecution.js';
import { RefoldExecution } from './resolvers/RefoldExecution.js';
import { ServerlessWorkflowExecution } from './resolvers/ServerlessWorkflowExecution.js';
import { cloudShellSimulator } from './simulators/cloudshell.js';
import { durableSimulator } from './simulators/durable.js';
import { paymentSimulator } from './simulators/payment.js';
import { refoldSimulator } from './simulators/refold.js';
import type { SimulatorDefinition } from './simulators/server.js';
import { serverlessSimulator } from './simulators/serverless.js';

/**
 * One provider, a file per layer: its REST API (`src/datasources/<key>.ts`), its GraphQL type
 * (`schema/<key>.graphql` and its resolver file) and its simulator. Everything else (id prefixes,
 * environment variables, codegen mappers, the demo, GraphiQL's example, the benchmark, the
 * per-provider tests) is derived from the list below.
 */
export interface Provider<Raw = unknown> {
  datasource: Datasource<Raw>;
  type: ExecutionType<Raw>;
  simulator: SimulatorDefinition;
  /** Default `schema/<key>.graphql`: the provider's type and its `ExecutionProvider` value. */
  schema?: URL;
}

/** A provider whose datasource and GraphQL type agree on its raw JSON. */
export function provider<Raw>(
  datasource: Datasource<Raw>,
  type: ExecutionType<Raw>,
  simulator: SimulatorDefinition,
  schema?: URL,
): Provider {
  return schema ? { datasource, type, simulator, schema } : { datasource, type, simulator };
}

/** Every provider this service knows, one line each. */
export const providers: readonly Provider[] = [
  provider(cloudShell, CloudShellExecution, cloudShellSimulator),
  provider(durableWorkflow, DurableWorkflowExecution, durableSimulator),
  provider(refold, RefoldExecution, refoldSimulator),
  provider(paymentWorkflow, PaymentWorkflowExecution, paymentSimulator),
  provider(serverlessWorkflow, ServerlessWorkflowExecution, serverlessSimulator),
];
