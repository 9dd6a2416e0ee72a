import { CombinedGraphQLErrors, type ErrorLike } from '@apollo/client';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useMemo, useState } from 'react';
import {
  ExecutionsDocument,
  ExecutionsUpdatedDocument,
  StopExecutionDocument,
  type ExecutionDetailsFragment,
} from '../../../client/graphql/graphql.js';
import { Details } from './Details.js';
import { formatDuration, formatTime, typeLabel } from './format.js';
import { Pane, type Started } from './Pane.js';

/** One error of the API as the console shows it: its code and message. */
interface ItemError {
  code: string;
  message: string;
}

/** The errors of a result by item index (`path: ['executions', i]`), and the rest. */
function itemErrors(error: ErrorLike | undefined): {
  byIndex: Map<number, ItemError>;
  other: string[];
} {
  const byIndex = new Map<number, ItemError>();
  const other: string[] = [];
  if (!error) return { byIndex, other };
  if (!CombinedGraphQLErrors.is(error)) return { byIndex, other: [error.message] };
  for (const { message, path, extensions } of error.errors) {
    const at = path?.[0] === 'executions' && typeof path[1] === 'number' ? path[1] : undefined;
    const item = { code: String(extensions?.code ?? 'ERROR'), message };
    if (at === undefined) other.push(`${item.code}: ${message}`);
    else if (!byIndex.has(at)) byIndex.set(at, item);
  }
  return { byIndex, other };
}

/**
 * The executions of `ids` in a table, live while they run, each failed id with its own error. A
 * row opens its pane; `onStarted` takes what a rerun there started.
 */
export function Executions({
  ids,
  onStarted,
}: {
  ids: string[];
  onStarted: (started: Started) => void;
}) {
  const { data, error, loading } = useQuery(ExecutionsDocument, {
    variables: { ids },
    errorPolicy: 'all',
  });
  const { byIndex, other } = itemErrors(error);
  // Errors are not kept in the cache: once a live update has been written, the query reads its
  // data from there without them. The failed ids keep the errors their fetch answered.
  const [failures, setFailures] = useState(() => new Map<string, ItemError>());
  useEffect(() => {
    const failed = itemErrors(error).byIndex;
    if (failed.size === 0) return;
    setFailures((known) => {
      const next = new Map(known);
      for (const [i, item] of failed) next.set(ids[i]!, item);
      return next;
    });
  }, [error, ids]);
  const executions = data?.executions ?? [];

  // Watch what loaded (the subscription completes once all of it has finished). The key keeps
  // the list, and so the subscription, the same while states change.
  const watchedKey = ids.filter((_, i) => executions[i]).join('\n');
  const watched = useMemo(() => (watchedKey ? watchedKey.split('\n') : []), [watchedKey]);
  const live = useSubscription(ExecutionsUpdatedDocument, {
    variables: { ids: watched },
    skip: watched.length === 0,
    errorPolicy: 'all',
  });
  const running = executions.filter((execution) => execution && !execution.isTerminal).length;
  const [openId, setOpenId] = useState<string | null>(null);

  return (
    <section className="results">
      <div className="summary" role="status">
        {loading && !data ? (
          'Loading…'
        ) : (
          <>
            {ids.length} {ids.length === 1 ? 'id' : 'ids'} · {failures.size} failed · {running}{' '}
            running
            {running > 0 && (
              <span className={live.error ? 'live off' : 'live'}>
                {live.error ? `live updates stopped: ${live.error.message}` : 'live'}
              </span>
            )}
          </>
        )}
      </div>
      {other.map((message) => (
        <p className="banner" role="alert" key={message}>
          {message}
        </p>
      ))}
      <div className={openId ? 'split' : undefined}>
        <div className="table-wrap">
          {data && (
            <table>
              <thead>
                <tr>
                  <th>Execution</th>
                  <th>State</th>
                  <th>Provider status</th>
                  <th>Started</th>
                  <th>Duration</th>
                  <th>Details</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {ids.map((id, i) => {
                  const execution = executions[i];
                  if (execution) {
                    return (
                      <ExecutionRow
                        key={id}
                        execution={execution}
                        open={execution.id === openId}
                        onOpen={() => setOpenId(execution.id === openId ? null : execution.id)}
                      />
                    );
                  }
                  return <ErrorRow key={id} id={id} error={byIndex.get(i) ?? failures.get(id)} />;
                })}
              </tbody>
            </table>
          )}
        </div>
        {openId && (
          <Pane key={openId} id={openId} onClose={() => setOpenId(null)} onStarted={onStarted} />
        )}
      </div>
    </section>
  );
}

function ErrorRow({ id, error }: { id: string; error: ItemError | undefined }) {
  return (
    <tr className="failed" data-id={id}>
      <td>
        <code>{id}</code>
      </td>
      <td>
        <span className="code">{error?.code ?? 'ERROR'}</span>
      </td>
      <td colSpan={5} className="message">
        {error?.message ?? 'No execution came back for this id.'}
      </td>
    </tr>
  );
}

function ExecutionRow({
  execution,
  open,
  onOpen,
}: {
  execution: ExecutionDetailsFragment;
  open: boolean;
  onOpen: () => void;
}) {
  const [stop, stopping] = useMutation(StopExecutionDocument, {
    variables: { id: execution.id },
  });
  const stopError = itemErrors(stopping.error).other[0];
  // A stop already asked for (here or elsewhere) is not asked again: the provider may still take
  // one while the execution winds down, but a second click only costs another call.
  const winding = stopping.loading || execution.state === 'STOPPING';
  return (
    <tr data-id={execution.id} data-state={execution.state} className={open ? 'open' : undefined}>
      <td>
        <div className="type">{typeLabel(execution.__typename)}</div>
        <button
          type="button"
          className="link"
          title="Its steps"
          aria-expanded={open}
          onClick={onOpen}
        >
          <code>{execution.id}</code>
        </button>
      </td>
      <td>
        <span className={`state ${execution.state.toLowerCase()}`}>{execution.state}</span>
      </td>
      <td>
        <code>{execution.providerStatus ?? '—'}</code>
      </td>
      <td className="time">{formatTime(execution.startedAt)}</td>
      <td className="time">{formatDuration(execution.durationSeconds)}</td>
      <td>
        <Details execution={execution} />
      </td>
      <td className="stop">
        {execution.canStop && (
          <button
            type="button"
            disabled={winding}
            onClick={() => void stop().catch(() => undefined)}
          >
            {winding ? 'Stopping…' : 'Stop'}
          </button>
        )}
        {stopError && <div className="code">{stopError}</div>}
      </td>
    </tr>
  );
}
