import type { GraphQLSchemaModule } from '@apollo/subgraph';
import { CloudShellExecution } from './CloudShellExecution.js';
import { DurableWorkflowExecution } from './DurableWorkflowExecution.js';
import { Execution } from './Execution.js';
import { PaymentWorkflowEvent, PaymentWorkflowExecution } from './PaymentWorkflowExecution.js';
import { Query } from './Query.js';
import { RefoldApplication, RefoldExecution, RefoldWorkflow } from './RefoldExecution.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';
import { ServerlessWorkflowExecution } from './ServerlessWorkflowExecution.js';

type ResolverMap = NonNullable<GraphQLSchemaModule['resolvers']>;

/** Resolvers by schema file (`schema/<name>.graphql`): each file and its resolvers form one module. */
export const resolversBySchemaFile: Record<string, ResolverMap> = {
  execution: { Query, Execution, DateTime: DateTimeScalar, JSON: JSONScalar },
  cloudshell: { CloudShellExecution },
  durable: { DurableWorkflowExecution },
  refold: { RefoldExecution, RefoldApplication, RefoldWorkflow },
  payment: { PaymentWorkflowExecution, PaymentWorkflowEvent },
  serverless: { ServerlessWorkflowExecution },
};
