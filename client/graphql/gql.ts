/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
  'fragment ExecutionBasics on Execution {\n  id\n  provider\n  state\n  providerStatus\n  isTerminal\n  startedAt\n  endedAt\n  durationSeconds\n  canStop\n  error {\n    message\n    code\n  }\n}\n\nfragment ExecutionDetails on Execution {\n  ...ExecutionBasics\n  nativeId\n  ... on CloudShellExecution {\n    supportsCancellation\n    output\n    stopLink {\n      method\n    }\n  }\n  ... on DurableWorkflowExecution {\n    workflowId\n    queueName\n    retryCount\n    parentExecution {\n      id\n      state\n    }\n    rootExecution {\n      id\n    }\n  }\n  ... on RefoldExecution {\n    name\n    environment\n    application {\n      name\n    }\n    workflow {\n      name\n    }\n  }\n  ... on PaymentWorkflowExecution {\n    workflowId\n    orderId\n    paymentStatus\n    statusReason\n    events {\n      id\n      eventType\n    }\n  }\n  ... on ServerlessWorkflowExecution {\n    workflowId\n  }\n}\n\nquery Execution($id: ID!) {\n  execution(id: $id) {\n    ...ExecutionDetails\n  }\n}\n\nquery Executions($ids: [ID!]!) {\n  executions(ids: $ids) {\n    ...ExecutionDetails\n  }\n}\n\nmutation StopExecution($id: ID!, $force: Boolean) {\n  stopExecution(id: $id, force: $force) {\n    ...ExecutionDetails\n  }\n}\n\nmutation StopExecutions($ids: [ID!]!, $force: Boolean) {\n  stopExecutions(ids: $ids, force: $force) {\n    ...ExecutionDetails\n  }\n}\n\nsubscription ExecutionUpdated($id: ID!) {\n  executionUpdated(id: $id) {\n    ...ExecutionDetails\n  }\n}\n\nsubscription ExecutionsUpdated($ids: [ID!]!) {\n  executionsUpdated(ids: $ids) {\n    ...ExecutionDetails\n  }\n}': typeof types.ExecutionBasicsFragmentDoc;
};
const documents: Documents = {
  'fragment ExecutionBasics on Execution {\n  id\n  provider\n  state\n  providerStatus\n  isTerminal\n  startedAt\n  endedAt\n  durationSeconds\n  canStop\n  error {\n    message\n    code\n  }\n}\n\nfragment ExecutionDetails on Execution {\n  ...ExecutionBasics\n  nativeId\n  ... on CloudShellExecution {\n    supportsCancellation\n    output\n    stopLink {\n      method\n    }\n  }\n  ... on DurableWorkflowExecution {\n    workflowId\n    queueName\n    retryCount\n    parentExecution {\n      id\n      state\n    }\n    rootExecution {\n      id\n    }\n  }\n  ... on RefoldExecution {\n    name\n    environment\n    application {\n      name\n    }\n    workflow {\n      name\n    }\n  }\n  ... on PaymentWorkflowExecution {\n    workflowId\n    orderId\n    paymentStatus\n    statusReason\n    events {\n      id\n      eventType\n    }\n  }\n  ... on ServerlessWorkflowExecution {\n    workflowId\n  }\n}\n\nquery Execution($id: ID!) {\n  execution(id: $id) {\n    ...ExecutionDetails\n  }\n}\n\nquery Executions($ids: [ID!]!) {\n  executions(ids: $ids) {\n    ...ExecutionDetails\n  }\n}\n\nmutation StopExecution($id: ID!, $force: Boolean) {\n  stopExecution(id: $id, force: $force) {\n    ...ExecutionDetails\n  }\n}\n\nmutation StopExecutions($ids: [ID!]!, $force: Boolean) {\n  stopExecutions(ids: $ids, force: $force) {\n    ...ExecutionDetails\n  }\n}\n\nsubscription ExecutionUpdated($id: ID!) {\n  executionUpdated(id: $id) {\n    ...ExecutionDetails\n  }\n}\n\nsubscription ExecutionsUpdated($ids: [ID!]!) {\n  executionsUpdated(ids: $ids) {\n    ...ExecutionDetails\n  }\n}':
    types.ExecutionBasicsFragmentDoc,
};

/**
 * The gql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = gql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function gql(source: string): unknown;

/**
 * The gql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function gql(
  source: 'fragment ExecutionBasics on Execution {\n  id\n  provider\n  state\n  providerStatus\n  isTerminal\n  startedAt\n  endedAt\n  durationSeconds\n  canStop\n  error {\n    message\n    code\n  }\n}\n\nfragment ExecutionDetails on Execution {\n  ...ExecutionBasics\n  nativeId\n  ... on CloudShellExecution {\n    supportsCancellation\n    output\n    stopLink {\n      method\n    }\n  }\n  ... on DurableWorkflowExecution {\n    workflowId\n    queueName\n    retryCount\n    parentExecution {\n      id\n      state\n    }\n    rootExecution {\n      id\n    }\n  }\n  ... on RefoldExecution {\n    name\n    environment\n    application {\n      name\n    }\n    workflow {\n      name\n    }\n  }\n  ... on PaymentWorkflowExecution {\n    workflowId\n    orderId\n    paymentStatus\n    statusReason\n    events {\n      id\n      eventType\n    }\n  }\n  ... on ServerlessWorkflowExecution {\n    workflowId\n  }\n}\n\nquery Execution($id: ID!) {\n  execution(id: $id) {\n    ...ExecutionDetails\n  }\n}\n\nquery Executions($ids: [ID!]!) {\n  executions(ids: $ids) {\n    ...ExecutionDetails\n  }\n}\n\nmutation StopExecution($id: ID!, $force: Boolean) {\n  stopExecution(id: $id, force: $force) {\n    ...ExecutionDetails\n  }\n}\n\nmutation StopExecutions($ids: [ID!]!, $force: Boolean) {\n  stopExecutions(ids: $ids, force: $force) {\n    ...ExecutionDetails\n  }\n}\n\nsubscription ExecutionUpdated($id: ID!) {\n  executionUpdated(id: $id) {\n    ...ExecutionDetails\n  }\n}\n\nsubscription ExecutionsUpdated($ids: [ID!]!) {\n  executionsUpdated(ids: $ids) {\n    ...ExecutionDetails\n  }\n}',
): (typeof documents)['fragment ExecutionBasics on Execution {\n  id\n  provider\n  state\n  providerStatus\n  isTerminal\n  startedAt\n  endedAt\n  durationSeconds\n  canStop\n  error {\n    message\n    code\n  }\n}\n\nfragment ExecutionDetails on Execution {\n  ...ExecutionBasics\n  nativeId\n  ... on CloudShellExecution {\n    supportsCancellation\n    output\n    stopLink {\n      method\n    }\n  }\n  ... on DurableWorkflowExecution {\n    workflowId\n    queueName\n    retryCount\n    parentExecution {\n      id\n      state\n    }\n    rootExecution {\n      id\n    }\n  }\n  ... on RefoldExecution {\n    name\n    environment\n    application {\n      name\n    }\n    workflow {\n      name\n    }\n  }\n  ... on PaymentWorkflowExecution {\n    workflowId\n    orderId\n    paymentStatus\n    statusReason\n    events {\n      id\n      eventType\n    }\n  }\n  ... on ServerlessWorkflowExecution {\n    workflowId\n  }\n}\n\nquery Execution($id: ID!) {\n  execution(id: $id) {\n    ...ExecutionDetails\n  }\n}\n\nquery Executions($ids: [ID!]!) {\n  executions(ids: $ids) {\n    ...ExecutionDetails\n  }\n}\n\nmutation StopExecution($id: ID!, $force: Boolean) {\n  stopExecution(id: $id, force: $force) {\n    ...ExecutionDetails\n  }\n}\n\nmutation StopExecutions($ids: [ID!]!, $force: Boolean) {\n  stopExecutions(ids: $ids, force: $force) {\n    ...ExecutionDetails\n  }\n}\n\nsubscription ExecutionUpdated($id: ID!) {\n  executionUpdated(id: $id) {\n    ...ExecutionDetails\n  }\n}\n\nsubscription ExecutionsUpdated($ids: [ID!]!) {\n  executionsUpdated(ids: $ids) {\n    ...ExecutionDetails\n  }\n}'];

export function gql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> =
  TDocumentNode extends DocumentNode<infer TType, any> ? TType : never;
