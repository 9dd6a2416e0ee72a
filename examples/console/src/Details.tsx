import type { ReactNode } from 'react';
import type { ExecutionDetailsFragment } from '../../../client/graphql/graphql.js';

/** What the execution's provider adds, as label and value pairs. */
function fields(execution: ExecutionDetailsFragment): Array<[string, ReactNode]> {
  switch (execution.__typename) {
    case 'CloudShellExecution':
      return [
        ['cancellable', execution.supportsCancellation ? 'yes' : 'no'],
        ['output', execution.output],
      ];
    case 'DurableWorkflowExecution':
      return [
        ['workflow', execution.workflowId],
        ['queue', execution.queueName],
        ['retries', execution.retryCount],
        ['parent', execution.parentExecution && <code>{execution.parentExecution.id}</code>],
      ];
    case 'RefoldExecution':
      return [
        ['name', execution.name],
        ['application', execution.application?.name],
        ['workflow', execution.workflow?.name],
        ['environment', execution.environment],
      ];
    case 'PaymentWorkflowExecution':
      return [
        ['workflow', execution.workflowId],
        ['order', execution.orderId],
        ['payment', execution.paymentStatus],
        ['events', execution.events.length],
        ['last event', execution.events.at(-1)?.eventType],
      ];
    case 'ServerlessWorkflowExecution':
      return [['workflow', execution.workflowId]];
    default:
      // A type newer than this build's client kit: its common fields still show.
      return [];
  }
}

export function Details({ execution }: { execution: ExecutionDetailsFragment }) {
  const shown = fields(execution).filter(([, value]) => value !== null && value !== undefined);
  return (
    <div className="details">
      <dl>
        {shown.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {execution.error && (
        <div className="provider-error">
          {execution.error.code && <span className="code">{execution.error.code}</span>}{' '}
          {execution.error.message}
        </div>
      )}
    </div>
  );
}
