/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What `searchExecutions` looks for. Every condition given must hold. */
export type ExecutionFilter = {
  /** Only executions created at or after this time (`createdAt >= createdAfter`). */
  createdAfter?: string | null | undefined;
  /** Only executions created before this time (`createdAt < createdBefore`). */
  createdBefore?: string | null | undefined;
  /** Only these providers. Default: all. */
  providers?: Array<ExecutionProvider> | null | undefined;
  /** Only executions in one of these states. */
  states?: Array<ExecutionState> | null | undefined;
  /**
   * Only executions of this workflow, by the provider's own workflow id (the durable engine's
   * `workflow_id`, Yandex's `workflowId`, Refold's workflow).
   */
  workflowId?: string | null | undefined;
};

/**
 * The provider an execution comes from. Each has its own implementing type of `Execution`, and its
 * schema file adds its value here.
 */
export type ExecutionProvider =
  /** Quali CloudShell Sandbox API command executions (`CloudShellExecution`). */
  | 'CLOUDSHELL'
  /** The durable workflow / job-queue engine (`DurableWorkflowExecution`). */
  | 'DURABLE_WORKFLOW'
  /** The payment-gated workflow platform (`PaymentWorkflowExecution`). */
  | 'PAYMENT_WORKFLOW'
  /** Refold (formerly Cobalt) integration platform (`RefoldExecution`). */
  | 'REFOLD'
  /** Yandex Cloud Serverless Workflows (`ServerlessWorkflowExecution`). */
  | 'SERVERLESS_WORKFLOW';

/** Provider-independent lifecycle state. `providerStatus` keeps the provider's own word for it. */
export type ExecutionState =
  /** Stopped or cancelled before it finished. Terminal. */
  | 'CANCELLED'
  /** Finished with an error. Terminal. */
  | 'FAILED'
  /** Accepted or queued, not started yet. */
  | 'PENDING'
  /** Running now. */
  | 'RUNNING'
  /** A stop was requested and is in progress. */
  | 'STOPPING'
  /** Finished successfully. Terminal. */
  | 'SUCCEEDED'
  /** The provider sent a status this API does not know; see `providerStatus`. */
  | 'UNKNOWN'
  /** Paused or waiting on something outside the execution (a payment, an event, a person). */
  | 'WAITING';

/** Which Refold environment an execution ran in. */
export type RefoldEnvironment =
  /** Refold's `production` environment. */
  | 'PRODUCTION'
  /** Refold's `test` environment. */
  | 'TEST';

type ExecutionBasics_CloudShellExecution_Fragment = {
  __typename: 'CloudShellExecution';
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

type ExecutionBasics_DurableWorkflowExecution_Fragment = {
  __typename: 'DurableWorkflowExecution';
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

type ExecutionBasics_PaymentWorkflowExecution_Fragment = {
  __typename: 'PaymentWorkflowExecution';
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

type ExecutionBasics_RefoldExecution_Fragment = {
  __typename: 'RefoldExecution';
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

type ExecutionBasics_ServerlessWorkflowExecution_Fragment = {
  __typename: 'ServerlessWorkflowExecution';
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

export type ExecutionBasicsFragment =
  | ExecutionBasics_CloudShellExecution_Fragment
  | ExecutionBasics_DurableWorkflowExecution_Fragment
  | ExecutionBasics_PaymentWorkflowExecution_Fragment
  | ExecutionBasics_RefoldExecution_Fragment
  | ExecutionBasics_ServerlessWorkflowExecution_Fragment;

type ExecutionDetails_CloudShellExecution_Fragment = {
  __typename: 'CloudShellExecution';
  supportsCancellation: boolean;
  output: string | null;
  nativeId: string;
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  stopLink: { __typename: 'Link'; method: string } | null;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

type ExecutionDetails_DurableWorkflowExecution_Fragment = {
  __typename: 'DurableWorkflowExecution';
  workflowId: string | null;
  queueName: string | null;
  retryCount: number;
  nativeId: string;
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  parentExecution: {
    __typename: 'DurableWorkflowExecution';
    id: string;
    state: ExecutionState;
  } | null;
  rootExecution: { __typename: 'DurableWorkflowExecution'; id: string } | null;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

type ExecutionDetails_PaymentWorkflowExecution_Fragment = {
  __typename: 'PaymentWorkflowExecution';
  workflowId: string | null;
  orderId: string | null;
  paymentStatus: string | null;
  statusReason: string | null;
  nativeId: string;
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  events: Array<{ __typename: 'PaymentWorkflowEvent'; id: string; eventType: string | null }>;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

type ExecutionDetails_RefoldExecution_Fragment = {
  __typename: 'RefoldExecution';
  name: string | null;
  environment: RefoldEnvironment | null;
  nativeId: string;
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  application: { __typename: 'RefoldApplication'; name: string | null } | null;
  workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

type ExecutionDetails_ServerlessWorkflowExecution_Fragment = {
  __typename: 'ServerlessWorkflowExecution';
  workflowId: string | null;
  nativeId: string;
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  canStop: boolean;
  canRerun: boolean;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

export type ExecutionDetailsFragment =
  | ExecutionDetails_CloudShellExecution_Fragment
  | ExecutionDetails_DurableWorkflowExecution_Fragment
  | ExecutionDetails_PaymentWorkflowExecution_Fragment
  | ExecutionDetails_RefoldExecution_Fragment
  | ExecutionDetails_ServerlessWorkflowExecution_Fragment;

type ExecutionSummary_CloudShellExecution_Fragment = {
  __typename: 'CloudShellExecution';
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  createdAt: string | null;
};

type ExecutionSummary_DurableWorkflowExecution_Fragment = {
  __typename: 'DurableWorkflowExecution';
  workflowId: string | null;
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  createdAt: string | null;
};

type ExecutionSummary_PaymentWorkflowExecution_Fragment = {
  __typename: 'PaymentWorkflowExecution';
  workflowId: string | null;
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  createdAt: string | null;
};

type ExecutionSummary_RefoldExecution_Fragment = {
  __typename: 'RefoldExecution';
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  createdAt: string | null;
  workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
};

type ExecutionSummary_ServerlessWorkflowExecution_Fragment = {
  __typename: 'ServerlessWorkflowExecution';
  workflowId: string | null;
  id: string;
  provider: ExecutionProvider;
  state: ExecutionState;
  providerStatus: string | null;
  isTerminal: boolean;
  createdAt: string | null;
};

export type ExecutionSummaryFragment =
  | ExecutionSummary_CloudShellExecution_Fragment
  | ExecutionSummary_DurableWorkflowExecution_Fragment
  | ExecutionSummary_PaymentWorkflowExecution_Fragment
  | ExecutionSummary_RefoldExecution_Fragment
  | ExecutionSummary_ServerlessWorkflowExecution_Fragment;

export type ExecutionQueryVariables = Exact<{
  id: string | number;
}>;

export type ExecutionQuery = {
  __typename: 'Query';
  execution:
    | {
        __typename: 'CloudShellExecution';
        supportsCancellation: boolean;
        output: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        stopLink: { __typename: 'Link'; method: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'DurableWorkflowExecution';
        workflowId: string | null;
        queueName: string | null;
        retryCount: number;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        parentExecution: {
          __typename: 'DurableWorkflowExecution';
          id: string;
          state: ExecutionState;
        } | null;
        rootExecution: { __typename: 'DurableWorkflowExecution'; id: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'PaymentWorkflowExecution';
        workflowId: string | null;
        orderId: string | null;
        paymentStatus: string | null;
        statusReason: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        events: Array<{ __typename: 'PaymentWorkflowEvent'; id: string; eventType: string | null }>;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'RefoldExecution';
        name: string | null;
        environment: RefoldEnvironment | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        application: { __typename: 'RefoldApplication'; name: string | null } | null;
        workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'ServerlessWorkflowExecution';
        workflowId: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | null;
};

export type ExecutionsQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;

export type ExecutionsQuery = {
  __typename: 'Query';
  executions: Array<
    | {
        __typename: 'CloudShellExecution';
        supportsCancellation: boolean;
        output: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        stopLink: { __typename: 'Link'; method: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'DurableWorkflowExecution';
        workflowId: string | null;
        queueName: string | null;
        retryCount: number;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        parentExecution: {
          __typename: 'DurableWorkflowExecution';
          id: string;
          state: ExecutionState;
        } | null;
        rootExecution: { __typename: 'DurableWorkflowExecution'; id: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'PaymentWorkflowExecution';
        workflowId: string | null;
        orderId: string | null;
        paymentStatus: string | null;
        statusReason: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        events: Array<{ __typename: 'PaymentWorkflowEvent'; id: string; eventType: string | null }>;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'RefoldExecution';
        name: string | null;
        environment: RefoldEnvironment | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        application: { __typename: 'RefoldApplication'; name: string | null } | null;
        workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'ServerlessWorkflowExecution';
        workflowId: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | null
  >;
};

export type SearchExecutionsQueryVariables = Exact<{
  filter?: ExecutionFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type SearchExecutionsQuery = {
  __typename: 'Query';
  searchExecutions: {
    __typename: 'ExecutionConnection';
    edges: Array<{
      __typename: 'ExecutionEdge';
      cursor: string;
      node:
        | {
            __typename: 'CloudShellExecution';
            id: string;
            provider: ExecutionProvider;
            state: ExecutionState;
            providerStatus: string | null;
            isTerminal: boolean;
            createdAt: string | null;
          }
        | {
            __typename: 'DurableWorkflowExecution';
            workflowId: string | null;
            id: string;
            provider: ExecutionProvider;
            state: ExecutionState;
            providerStatus: string | null;
            isTerminal: boolean;
            createdAt: string | null;
          }
        | {
            __typename: 'PaymentWorkflowExecution';
            workflowId: string | null;
            id: string;
            provider: ExecutionProvider;
            state: ExecutionState;
            providerStatus: string | null;
            isTerminal: boolean;
            createdAt: string | null;
          }
        | {
            __typename: 'RefoldExecution';
            id: string;
            provider: ExecutionProvider;
            state: ExecutionState;
            providerStatus: string | null;
            isTerminal: boolean;
            createdAt: string | null;
            workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
          }
        | {
            __typename: 'ServerlessWorkflowExecution';
            workflowId: string | null;
            id: string;
            provider: ExecutionProvider;
            state: ExecutionState;
            providerStatus: string | null;
            isTerminal: boolean;
            createdAt: string | null;
          };
    }>;
    pageInfo: { __typename: 'ExecutionPageInfo'; hasNextPage: boolean; endCursor: string | null };
    providers: Array<{
      __typename: 'ExecutionSearchProvider';
      provider: ExecutionProvider;
      searched: boolean;
      code: string | null;
      message: string | null;
    }>;
  };
};

export type ExecutionStepsQueryVariables = Exact<{
  id: string | number;
}>;

export type ExecutionStepsQuery = {
  __typename: 'Query';
  execution:
    | {
        __typename: 'CloudShellExecution';
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        steps: Array<{
          __typename: 'ExecutionStep';
          name: string;
          state: ExecutionState;
          providerStatus: string | null;
          startedAt: string | null;
          endedAt: string | null;
          durationSeconds: number | null;
          attempts: number | null;
          error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
        }> | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'DurableWorkflowExecution';
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        steps: Array<{
          __typename: 'ExecutionStep';
          name: string;
          state: ExecutionState;
          providerStatus: string | null;
          startedAt: string | null;
          endedAt: string | null;
          durationSeconds: number | null;
          attempts: number | null;
          error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
        }> | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'PaymentWorkflowExecution';
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        steps: Array<{
          __typename: 'ExecutionStep';
          name: string;
          state: ExecutionState;
          providerStatus: string | null;
          startedAt: string | null;
          endedAt: string | null;
          durationSeconds: number | null;
          attempts: number | null;
          error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
        }> | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'RefoldExecution';
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        steps: Array<{
          __typename: 'ExecutionStep';
          name: string;
          state: ExecutionState;
          providerStatus: string | null;
          startedAt: string | null;
          endedAt: string | null;
          durationSeconds: number | null;
          attempts: number | null;
          error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
        }> | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'ServerlessWorkflowExecution';
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        steps: Array<{
          __typename: 'ExecutionStep';
          name: string;
          state: ExecutionState;
          providerStatus: string | null;
          startedAt: string | null;
          endedAt: string | null;
          durationSeconds: number | null;
          attempts: number | null;
          error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
        }> | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | null;
};

export type ExecutionStepFieldsFragment = {
  __typename: 'ExecutionStep';
  name: string;
  state: ExecutionState;
  providerStatus: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  attempts: number | null;
  error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
};

export type StopExecutionMutationVariables = Exact<{
  id: string | number;
  force?: boolean | null | undefined;
}>;

export type StopExecutionMutation = {
  __typename: 'Mutation';
  stopExecution:
    | {
        __typename: 'CloudShellExecution';
        supportsCancellation: boolean;
        output: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        stopLink: { __typename: 'Link'; method: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'DurableWorkflowExecution';
        workflowId: string | null;
        queueName: string | null;
        retryCount: number;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        parentExecution: {
          __typename: 'DurableWorkflowExecution';
          id: string;
          state: ExecutionState;
        } | null;
        rootExecution: { __typename: 'DurableWorkflowExecution'; id: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'PaymentWorkflowExecution';
        workflowId: string | null;
        orderId: string | null;
        paymentStatus: string | null;
        statusReason: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        events: Array<{ __typename: 'PaymentWorkflowEvent'; id: string; eventType: string | null }>;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'RefoldExecution';
        name: string | null;
        environment: RefoldEnvironment | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        application: { __typename: 'RefoldApplication'; name: string | null } | null;
        workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'ServerlessWorkflowExecution';
        workflowId: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | null;
};

export type StopExecutionsMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
  force?: boolean | null | undefined;
}>;

export type StopExecutionsMutation = {
  __typename: 'Mutation';
  stopExecutions: Array<
    | {
        __typename: 'CloudShellExecution';
        supportsCancellation: boolean;
        output: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        stopLink: { __typename: 'Link'; method: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'DurableWorkflowExecution';
        workflowId: string | null;
        queueName: string | null;
        retryCount: number;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        parentExecution: {
          __typename: 'DurableWorkflowExecution';
          id: string;
          state: ExecutionState;
        } | null;
        rootExecution: { __typename: 'DurableWorkflowExecution'; id: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'PaymentWorkflowExecution';
        workflowId: string | null;
        orderId: string | null;
        paymentStatus: string | null;
        statusReason: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        events: Array<{ __typename: 'PaymentWorkflowEvent'; id: string; eventType: string | null }>;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'RefoldExecution';
        name: string | null;
        environment: RefoldEnvironment | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        application: { __typename: 'RefoldApplication'; name: string | null } | null;
        workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'ServerlessWorkflowExecution';
        workflowId: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | null
  >;
};

export type RerunExecutionMutationVariables = Exact<{
  id: string | number;
  idempotencyKey?: string | null | undefined;
}>;

export type RerunExecutionMutation = {
  __typename: 'Mutation';
  rerunExecution:
    | {
        __typename: 'CloudShellExecution';
        supportsCancellation: boolean;
        output: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        createdAt: string | null;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        stopLink: { __typename: 'Link'; method: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'DurableWorkflowExecution';
        workflowId: string | null;
        queueName: string | null;
        retryCount: number;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        createdAt: string | null;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        parentExecution: {
          __typename: 'DurableWorkflowExecution';
          id: string;
          state: ExecutionState;
        } | null;
        rootExecution: { __typename: 'DurableWorkflowExecution'; id: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'PaymentWorkflowExecution';
        workflowId: string | null;
        orderId: string | null;
        paymentStatus: string | null;
        statusReason: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        createdAt: string | null;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        events: Array<{ __typename: 'PaymentWorkflowEvent'; id: string; eventType: string | null }>;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'RefoldExecution';
        name: string | null;
        environment: RefoldEnvironment | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        createdAt: string | null;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        application: { __typename: 'RefoldApplication'; name: string | null } | null;
        workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'ServerlessWorkflowExecution';
        workflowId: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        createdAt: string | null;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | null;
};

export type ExecutionUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;

export type ExecutionUpdatedSubscription = {
  __typename: 'Subscription';
  executionUpdated:
    | {
        __typename: 'CloudShellExecution';
        supportsCancellation: boolean;
        output: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        stopLink: { __typename: 'Link'; method: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'DurableWorkflowExecution';
        workflowId: string | null;
        queueName: string | null;
        retryCount: number;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        parentExecution: {
          __typename: 'DurableWorkflowExecution';
          id: string;
          state: ExecutionState;
        } | null;
        rootExecution: { __typename: 'DurableWorkflowExecution'; id: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'PaymentWorkflowExecution';
        workflowId: string | null;
        orderId: string | null;
        paymentStatus: string | null;
        statusReason: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        events: Array<{ __typename: 'PaymentWorkflowEvent'; id: string; eventType: string | null }>;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'RefoldExecution';
        name: string | null;
        environment: RefoldEnvironment | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        application: { __typename: 'RefoldApplication'; name: string | null } | null;
        workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'ServerlessWorkflowExecution';
        workflowId: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      };
};

export type ExecutionsUpdatedSubscriptionVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;

export type ExecutionsUpdatedSubscription = {
  __typename: 'Subscription';
  executionsUpdated:
    | {
        __typename: 'CloudShellExecution';
        supportsCancellation: boolean;
        output: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        stopLink: { __typename: 'Link'; method: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'DurableWorkflowExecution';
        workflowId: string | null;
        queueName: string | null;
        retryCount: number;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        parentExecution: {
          __typename: 'DurableWorkflowExecution';
          id: string;
          state: ExecutionState;
        } | null;
        rootExecution: { __typename: 'DurableWorkflowExecution'; id: string } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'PaymentWorkflowExecution';
        workflowId: string | null;
        orderId: string | null;
        paymentStatus: string | null;
        statusReason: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        events: Array<{ __typename: 'PaymentWorkflowEvent'; id: string; eventType: string | null }>;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'RefoldExecution';
        name: string | null;
        environment: RefoldEnvironment | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        application: { __typename: 'RefoldApplication'; name: string | null } | null;
        workflow: { __typename: 'RefoldWorkflow'; name: string | null } | null;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      }
    | {
        __typename: 'ServerlessWorkflowExecution';
        workflowId: string | null;
        nativeId: string;
        id: string;
        provider: ExecutionProvider;
        state: ExecutionState;
        providerStatus: string | null;
        isTerminal: boolean;
        startedAt: string | null;
        endedAt: string | null;
        durationSeconds: number | null;
        canStop: boolean;
        canRerun: boolean;
        error: { __typename: 'ExecutionError'; message: string; code: string | null } | null;
      };
};

export const ExecutionBasicsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExecutionBasicsFragment, unknown>;
export const ExecutionDetailsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionDetails' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionBasics' } },
          { kind: 'Field', name: { kind: 'Name', value: 'nativeId' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'CloudShellExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'supportsCancellation' } },
                { kind: 'Field', name: { kind: 'Name', value: 'output' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'stopLink' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'method' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'queueName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retryCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'parentExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'state' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rootExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'environment' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'application' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'orderId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'paymentStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusReason' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'events' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'eventType' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExecutionDetailsFragment, unknown>;
export const ExecutionSummaryFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionSummary' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExecutionSummaryFragment, unknown>;
export const ExecutionStepFieldsFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionStepFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ExecutionStep' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'attempts' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExecutionStepFieldsFragment, unknown>;
export const ExecutionDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Execution' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'execution' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionDetails' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionDetails' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionBasics' } },
          { kind: 'Field', name: { kind: 'Name', value: 'nativeId' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'CloudShellExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'supportsCancellation' } },
                { kind: 'Field', name: { kind: 'Name', value: 'output' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'stopLink' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'method' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'queueName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retryCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'parentExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'state' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rootExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'environment' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'application' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'orderId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'paymentStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusReason' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'events' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'eventType' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExecutionQuery, ExecutionQueryVariables>;
export const ExecutionsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Executions' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'ids' } },
          type: {
            kind: 'NonNullType',
            type: {
              kind: 'ListType',
              type: {
                kind: 'NonNullType',
                type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
              },
            },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'executions' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'ids' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'ids' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionDetails' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionDetails' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionBasics' } },
          { kind: 'Field', name: { kind: 'Name', value: 'nativeId' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'CloudShellExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'supportsCancellation' } },
                { kind: 'Field', name: { kind: 'Name', value: 'output' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'stopLink' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'method' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'queueName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retryCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'parentExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'state' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rootExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'environment' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'application' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'orderId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'paymentStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusReason' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'events' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'eventType' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExecutionsQuery, ExecutionsQueryVariables>;
export const SearchExecutionsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'SearchExecutions' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'ExecutionFilter' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'searchExecutions' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'filter' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'first' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'after' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'edges' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'cursor' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'node' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            {
                              kind: 'FragmentSpread',
                              name: { kind: 'Name', value: 'ExecutionSummary' },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'pageInfo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'providers' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'searched' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'code' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionSummary' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SearchExecutionsQuery, SearchExecutionsQueryVariables>;
export const ExecutionStepsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ExecutionSteps' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'execution' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionBasics' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'steps' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      {
                        kind: 'FragmentSpread',
                        name: { kind: 'Name', value: 'ExecutionStepFields' },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionStepFields' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'ExecutionStep' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'name' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'attempts' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExecutionStepsQuery, ExecutionStepsQueryVariables>;
export const StopExecutionDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'StopExecution' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'force' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Boolean' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'stopExecution' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'force' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'force' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionDetails' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionDetails' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionBasics' } },
          { kind: 'Field', name: { kind: 'Name', value: 'nativeId' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'CloudShellExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'supportsCancellation' } },
                { kind: 'Field', name: { kind: 'Name', value: 'output' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'stopLink' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'method' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'queueName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retryCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'parentExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'state' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rootExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'environment' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'application' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'orderId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'paymentStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusReason' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'events' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'eventType' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<StopExecutionMutation, StopExecutionMutationVariables>;
export const StopExecutionsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'StopExecutions' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'ids' } },
          type: {
            kind: 'NonNullType',
            type: {
              kind: 'ListType',
              type: {
                kind: 'NonNullType',
                type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
              },
            },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'force' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Boolean' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'stopExecutions' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'ids' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'ids' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'force' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'force' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionDetails' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionDetails' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionBasics' } },
          { kind: 'Field', name: { kind: 'Name', value: 'nativeId' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'CloudShellExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'supportsCancellation' } },
                { kind: 'Field', name: { kind: 'Name', value: 'output' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'stopLink' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'method' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'queueName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retryCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'parentExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'state' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rootExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'environment' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'application' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'orderId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'paymentStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusReason' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'events' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'eventType' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<StopExecutionsMutation, StopExecutionsMutationVariables>;
export const RerunExecutionDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'RerunExecution' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'idempotencyKey' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'rerunExecution' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'idempotencyKey' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'idempotencyKey' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionDetails' } },
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionSummary' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionDetails' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionBasics' } },
          { kind: 'Field', name: { kind: 'Name', value: 'nativeId' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'CloudShellExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'supportsCancellation' } },
                { kind: 'Field', name: { kind: 'Name', value: 'output' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'stopLink' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'method' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'queueName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retryCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'parentExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'state' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rootExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'environment' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'application' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'orderId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'paymentStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusReason' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'events' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'eventType' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionSummary' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RerunExecutionMutation, RerunExecutionMutationVariables>;
export const ExecutionUpdatedDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'ExecutionUpdated' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'executionUpdated' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionDetails' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionDetails' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionBasics' } },
          { kind: 'Field', name: { kind: 'Name', value: 'nativeId' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'CloudShellExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'supportsCancellation' } },
                { kind: 'Field', name: { kind: 'Name', value: 'output' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'stopLink' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'method' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'queueName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retryCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'parentExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'state' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rootExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'environment' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'application' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'orderId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'paymentStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusReason' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'events' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'eventType' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExecutionUpdatedSubscription, ExecutionUpdatedSubscriptionVariables>;
export const ExecutionsUpdatedDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'ExecutionsUpdated' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'ids' } },
          type: {
            kind: 'NonNullType',
            type: {
              kind: 'ListType',
              type: {
                kind: 'NonNullType',
                type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
              },
            },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'executionsUpdated' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'ids' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'ids' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionDetails' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionBasics' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'provider' } },
          { kind: 'Field', name: { kind: 'Name', value: 'state' } },
          { kind: 'Field', name: { kind: 'Name', value: 'providerStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'isTerminal' } },
          { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
          { kind: 'Field', name: { kind: 'Name', value: 'durationSeconds' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canStop' } },
          { kind: 'Field', name: { kind: 'Name', value: 'canRerun' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'error' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'ExecutionDetails' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'Execution' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'FragmentSpread', name: { kind: 'Name', value: 'ExecutionBasics' } },
          { kind: 'Field', name: { kind: 'Name', value: 'nativeId' } },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'CloudShellExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'supportsCancellation' } },
                { kind: 'Field', name: { kind: 'Name', value: 'output' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'stopLink' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'method' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'DurableWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'queueName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'retryCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'parentExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'state' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rootExecution' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'RefoldExecution' } },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'environment' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'application' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'workflow' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'PaymentWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'workflowId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'orderId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'paymentStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusReason' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'events' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'eventType' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'InlineFragment',
            typeCondition: {
              kind: 'NamedType',
              name: { kind: 'Name', value: 'ServerlessWorkflowExecution' },
            },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'workflowId' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExecutionsUpdatedSubscription, ExecutionsUpdatedSubscriptionVariables>;
