import { CombinedGraphQLErrors, type ErrorLike } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { Fragment, useEffect, useRef, useState } from 'react';
import {
  ExecutionStepsDocument,
  RerunExecutionDocument,
  type ExecutionStepFieldsFragment,
  type ExecutionSummaryFragment,
} from '../../../client/graphql/graphql.js';
import { messagesOf } from './errors.js';
import { formatDuration, typeLabel } from './format.js';

/** An execution a Rerun started here: its identity in the cache, and the id it is a rerun of. */
export interface Started {
  __typename: ExecutionSummaryFragment['__typename'];
  id: string;
  of: string;
}

/** A fresh idempotency key. `crypto.randomUUID` exists only on secure origins (https, loopback). */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The errors of a steps query: the ones at `execution.steps`, and the others. */
function splitErrors(error: ErrorLike | undefined): { steps: string[]; other: string[] } {
  if (!error) return { steps: [], other: [] };
  if (!CombinedGraphQLErrors.is(error)) return { steps: [], other: messagesOf(error) };
  const atSteps = (path: ReadonlyArray<string | number> | undefined) => path?.at(-1) === 'steps';
  const label = ({ message, extensions }: (typeof error.errors)[number]) =>
    extensions?.code ? `${String(extensions.code)}: ${message}` : message;
  return {
    steps: error.errors.filter(({ path }) => atSteps(path)).map(label),
    other: error.errors.filter(({ path }) => !atSteps(path)).map(label),
  };
}

/**
 * One execution's detail pane: its steps, fetched when it opens (and again when its state
 * changes), and a Rerun button where `canRerun` is true. `onStarted` gets the new execution a
 * rerun answered; `onShowById`, where given, shows this one in the By id view.
 */
export function Pane({
  id,
  onClose,
  onStarted,
  onShowById,
}: {
  id: string;
  onClose: () => void;
  onStarted: (started: Started) => void;
  onShowById?: (id: string) => void;
}) {
  const { data, error, loading, refetch } = useQuery(ExecutionStepsDocument, {
    variables: { id },
    errorPolicy: 'all',
    // The steps as of now each time the pane opens.
    fetchPolicy: 'network-only',
    nextFetchPolicy: 'cache-first',
  });
  const execution = data?.execution;
  const errors = splitErrors(error);

  // The live updates change the execution's state in the cache, not its steps: fetch them again
  // when the state moves on.
  const state = execution?.state;
  const seen = useRef(state);
  useEffect(() => {
    if (!state || seen.current === state) return;
    const before = seen.current;
    seen.current = state;
    if (before !== undefined) void refetch().catch(() => undefined);
  }, [state, refetch]);

  // One key per intent to rerun: made on the first press, sent again by any press until one
  // succeeds, then dropped. A double click starts one run; so does pressing again after an
  // error, since a start that may have acted spends its key (the API answers that it may have
  // started one). Starting another after that is a new intent, with a new key.
  const key = useRef<string | null>(null);
  const [rerun, rerunning] = useMutation(RerunExecutionDocument);
  const [started, setStarted] = useState<string | null>(null);
  const press = (fresh = false) => {
    if (fresh) key.current = null;
    key.current ??= newKey();
    rerun({ variables: { id, idempotencyKey: key.current } }).then(
      ({ data: answer }) => {
        const made = answer?.rerunExecution;
        if (!made) return;
        key.current = null;
        setStarted(made.id);
        onStarted({ __typename: made.__typename, id: made.id, of: id });
      },
      () => undefined,
    );
  };
  const rerunErrors = messagesOf(rerunning.error);

  return (
    <aside className="pane" aria-label={`Execution ${id}`} data-id={id}>
      <header>
        <div>
          {execution && <div className="type">{typeLabel(execution.__typename)}</div>}
          <code>{id}</code>
        </div>
        <button type="button" className="secondary close" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      {execution && (
        <p className="pane-state">
          <span className={`state ${execution.state.toLowerCase()}`}>{execution.state}</span>
          {execution.error && <span className="message">{execution.error.message}</span>}
        </p>
      )}
      {(execution?.canRerun || onShowById) && (
        <div className="actions">
          {execution?.canRerun && (
            <button type="button" disabled={rerunning.loading} onClick={() => press()}>
              {rerunning.loading ? 'Rerunning…' : 'Rerun'}
            </button>
          )}
          {execution?.canRerun && rerunning.error && (
            <button
              type="button"
              className="secondary"
              title="The failed attempt may have started one: look at the top of Recent first"
              disabled={rerunning.loading}
              onClick={() => press(true)}
            >
              Rerun with a new key
            </button>
          )}
          {onShowById && (
            <button type="button" className="secondary" onClick={() => onShowById(id)}>
              Open in By id
            </button>
          )}
        </div>
      )}
      {rerunErrors.map((message) => (
        <p className="banner" role="alert" key={message}>
          {message}
        </p>
      ))}
      {started && !rerunning.loading && !rerunning.error && (
        <p className="started" aria-live="polite">
          Started <code>{started}</code>, at the top of Recent.
        </p>
      )}
      {errors.other.map((message) => (
        <p className="banner" role="alert" key={message}>
          {message}
        </p>
      ))}
      <h2>Steps</h2>
      {loading && !execution ? (
        <p className="empty">Loading steps…</p>
      ) : errors.steps.length > 0 ? (
        errors.steps.map((message) => (
          <p className="banner" role="alert" key={message}>
            {message}
          </p>
        ))
      ) : !execution ? null : execution.steps === null || execution.steps === undefined ? (
        <p className="empty">No steps kept by this provider.</p>
      ) : execution.steps.length === 0 ? (
        <p className="empty">No steps yet.</p>
      ) : (
        <Steps steps={execution.steps} />
      )}
    </aside>
  );
}

function Steps({ steps }: { steps: ExecutionStepFieldsFragment[] }) {
  return (
    <table className="steps">
      <thead>
        <tr>
          <th>Step</th>
          <th>State</th>
          <th>Duration</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((step, i) => (
          // Names may repeat (a step run twice): the position tells them apart.
          <Fragment key={i}>
            <tr data-step={step.name} data-state={step.state}>
              <td>{step.name}</td>
              <td>
                <span className={`state ${step.state.toLowerCase()}`}>{step.state}</span>
              </td>
              <td className="time">{formatDuration(step.durationSeconds ?? null)}</td>
            </tr>
            {/* The error on a line of its own, under its step: a message needs the width. */}
            {step.error && (
              <tr className="step-error">
                <td colSpan={3} className="message">
                  {step.error.code && <span className="code">{step.error.code}</span>}{' '}
                  {step.error.message}
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
