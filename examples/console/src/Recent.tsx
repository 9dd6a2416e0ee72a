import { useFragment, useQuery, useSubscription } from '@apollo/client/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  ExecutionSummaryFragmentDoc,
  ExecutionsUpdatedDocument,
  SearchExecutionsDocument,
  type ExecutionFilter,
  type ExecutionProvider,
  type ExecutionState,
  type ExecutionSummaryFragment,
} from '../../../client/graphql/graphql.js';
import { messagesOf } from './errors.js';
import { codeLabel, formatTime, typeLabel } from './format.js';
import { Pane, type Started } from './Pane.js';

/** Executions per page: the API's default. */
const PAGE_SIZE = 20;
const NONE: ExecutionSummaryFragment[] = [];

// Every state, in lifecycle order: a state the schema gains is a type error here until it is added.
const STATES = Object.keys({
  PENDING: true,
  RUNNING: true,
  WAITING: true,
  STOPPING: true,
  SUCCEEDED: true,
  FAILED: true,
  CANCELLED: true,
  UNKNOWN: true,
} satisfies Record<ExecutionState, true>) as ExecutionState[];

/** `items` with `item` added or taken out. */
function toggle<T>(items: T[], item: T, on: boolean): T[] {
  return on ? [...items, item] : items.filter((other) => other !== item);
}

/**
 * The newest executions of every provider that can list them, filtered by provider, state and
 * workflow, a page at a time, under the ones a Rerun started here (`started`, newest first). A row
 * opens its pane; `onOpen` shows one in the By id view, `onStarted` takes what a rerun started.
 */
export function Recent({
  started,
  onOpen,
  onStarted,
}: {
  started: Started[];
  onOpen: (id: string) => void;
  onStarted: (started: Started) => void;
}) {
  const [providers, setProviders] = useState<ExecutionProvider[]>([]);
  const [states, setStates] = useState<ExecutionState[]>([]);
  const [workflowId, setWorkflowId] = useState('');
  const [workflowDraft, setWorkflowDraft] = useState('');
  // The providers to offer are the ones the API says it covers: every one, on an unfiltered page.
  const [known, setKnown] = useState<ExecutionProvider[]>([]);
  const learn = useCallback(
    (covered: ExecutionProvider[]) =>
      setKnown((before) => {
        const added = covered.filter((provider) => !before.includes(provider));
        return added.length > 0 ? [...before, ...added] : before;
      }),
    [],
  );
  const filter = useMemo<ExecutionFilter | undefined>(() => {
    if (providers.length === 0 && states.length === 0 && !workflowId) return undefined;
    return {
      ...(providers.length > 0 && { providers }),
      ...(states.length > 0 && { states }),
      ...(workflowId && { workflowId }),
    };
  }, [providers, states, workflowId]);
  const filtered = filter !== undefined;

  return (
    <>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setWorkflowId(workflowDraft.trim());
        }}
      >
        {known.length > 0 && (
          <fieldset>
            <legend>Provider</legend>
            {known.map((provider) => (
              <label key={provider}>
                <input
                  type="checkbox"
                  checked={providers.includes(provider)}
                  onChange={(event) =>
                    setProviders(toggle(providers, provider, event.target.checked))
                  }
                />
                {provider}
              </label>
            ))}
          </fieldset>
        )}
        <fieldset>
          <legend>State</legend>
          {STATES.map((state) => (
            <label key={state}>
              <input
                type="checkbox"
                checked={states.includes(state)}
                onChange={(event) => setStates(toggle(states, state, event.target.checked))}
              />
              {state}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>
            <label htmlFor="workflow">Workflow</label>
          </legend>
          <input
            id="workflow"
            type="search"
            spellCheck={false}
            placeholder="The provider's workflow id"
            value={workflowDraft}
            onChange={(event) => setWorkflowDraft(event.target.value)}
            onBlur={() => setWorkflowId(workflowDraft.trim())}
          />
        </fieldset>
        {filtered && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setProviders([]);
              setStates([]);
              setWorkflowId('');
              setWorkflowDraft('');
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      {/* A new filter starts over from the first page, with its own errors and watch. */}
      <Pages
        key={JSON.stringify(filter ?? {})}
        filter={filter}
        started={started}
        onCovered={learn}
        onOpen={onOpen}
        onStarted={onStarted}
      />
    </>
  );
}

function Pages({
  filter,
  started,
  onCovered,
  onOpen,
  onStarted,
}: {
  filter: ExecutionFilter | undefined;
  started: Started[];
  onCovered: (providers: ExecutionProvider[]) => void;
  onOpen: (id: string) => void;
  onStarted: (started: Started) => void;
}) {
  const { data, error, loading, fetchMore } = useQuery(SearchExecutionsDocument, {
    variables: { filter, first: PAGE_SIZE },
    errorPolicy: 'all',
    // The newest as of now each time the view opens; after that, pages come from "Load more".
    fetchPolicy: 'network-only',
    nextFetchPolicy: 'cache-first',
  });
  const page = data?.searchExecutions;
  // What a Rerun started here comes first whatever the filter: it is the newest, and the one the
  // user is looking for. Its rows read the cache, where the rerun's answer and live updates go.
  const fresh = useFragment({
    fragment: ExecutionSummaryFragmentDoc,
    from: started.map(({ __typename, id }) => ({ __typename, id })),
  });
  const freshRows = fresh.complete ? fresh.data : NONE;
  const executions = useMemo(() => {
    const listed = page?.edges.map(({ node }) => node) ?? [];
    const first = new Set(freshRows.map(({ id }) => id));
    return [...freshRows, ...listed.filter(({ id }) => !first.has(id))];
  }, [page, freshRows]);
  const rerunOf = new Map(started.map(({ id, of }) => [id, of]));
  const [openId, setOpenId] = useState<string | null>(null);

  // The errors of the last page fetched. Errors are not kept in the cache: once a live update
  // has been written, the query reads its data from there without them.
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    if (error) setErrors(messagesOf(error));
  }, [error]);
  const [loadingMore, setLoadingMore] = useState(false);
  const loadMore = async (after: string) => {
    setLoadingMore(true);
    try {
      const more = await fetchMore({
        variables: { after },
        errorPolicy: 'all',
        updateQuery: (shown, { fetchMoreResult }) => ({
          ...fetchMoreResult,
          searchExecutions: {
            ...fetchMoreResult.searchExecutions,
            edges: [...shown.searchExecutions.edges, ...fetchMoreResult.searchExecutions.edges],
          },
        }),
      });
      setErrors(messagesOf(more.error));
    } catch (failed) {
      setErrors(messagesOf(failed instanceof Error ? failed : new Error(String(failed))));
    } finally {
      setLoadingMore(false);
    }
  };

  const covered = page?.providers.map(({ provider }) => provider).join(',');
  useEffect(() => {
    if (covered) onCovered(covered.split(',') as ExecutionProvider[]);
  }, [covered, onCovered]);

  // Watch every execution shown while it was running (the subscription completes once they
  // have all finished); the list only grows, so a state change does not restart it.
  const [watched, setWatched] = useState<string[]>([]);
  const runningKey = executions
    .filter(({ isTerminal }) => !isTerminal)
    .map(({ id }) => id)
    .join('\n');
  useEffect(() => {
    if (!runningKey) return;
    setWatched((before) => {
      const added = runningKey.split('\n').filter((id) => !before.includes(id));
      return added.length > 0 ? [...before, ...added] : before;
    });
  }, [runningKey]);
  const live = useSubscription(ExecutionsUpdatedDocument, {
    variables: { ids: watched },
    skip: watched.length === 0,
    errorPolicy: 'all',
  });
  const running = executions.filter(({ isTerminal }) => !isTerminal).length;
  const skipped = page?.providers.filter(({ searched }) => !searched) ?? [];

  return (
    <section className="results">
      <div className="summary" role="status">
        {loading && !page ? (
          'Loading…'
        ) : (
          <>
            {executions.length} shown · {running} running
            {running > 0 && (
              <span className={live.error ? 'live off' : 'live'}>
                {live.error ? `live updates stopped: ${live.error.message}` : 'live'}
              </span>
            )}
          </>
        )}
      </div>
      {skipped.map(({ provider, code, message }) => (
        <p className="notice" data-provider={provider} key={provider}>
          <strong>{provider}</strong>: {code ? codeLabel(code) : 'not searched'}
          {message && <span className="message"> — {message}</span>}
        </p>
      ))}
      {errors.map((message) => (
        <p className="banner" role="alert" key={message}>
          {message}
        </p>
      ))}
      <div className={openId ? 'split' : undefined}>
        <div className="table-wrap">
          {page && (
            <table className="recent">
              <thead>
                <tr>
                  <th>Provider</th>
                  <th>Execution</th>
                  <th>State</th>
                  <th>Provider status</th>
                  <th>Created</th>
                  <th>Workflow</th>
                </tr>
              </thead>
              <tbody>
                {executions.map((execution) => (
                  <SummaryRow
                    key={execution.id}
                    execution={execution}
                    rerunOf={rerunOf.get(execution.id)}
                    open={execution.id === openId}
                    onOpen={(id) => setOpenId(id === openId ? null : id)}
                  />
                ))}
              </tbody>
            </table>
          )}
          {page && executions.length === 0 && !page.pageInfo.hasNextPage && (
            <p className="empty">No executions match.</p>
          )}
          {page?.pageInfo.hasNextPage && page.pageInfo.endCursor && (
            <div className="more">
              <button
                type="button"
                disabled={loadingMore}
                onClick={() => void loadMore(page.pageInfo.endCursor!)}
              >
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </div>
        {openId && (
          <Pane
            key={openId}
            id={openId}
            onClose={() => setOpenId(null)}
            onStarted={onStarted}
            onShowById={onOpen}
          />
        )}
      </div>
    </section>
  );
}

/** The provider's own workflow of an execution, where its type has one. */
function workflowOf(execution: ExecutionSummaryFragment): string | null | undefined {
  switch (execution.__typename) {
    case 'DurableWorkflowExecution':
    case 'PaymentWorkflowExecution':
    case 'ServerlessWorkflowExecution':
      return execution.workflowId;
    case 'RefoldExecution':
      return execution.workflow?.name;
    default:
      return null;
  }
}

function SummaryRow({
  execution,
  rerunOf,
  open,
  onOpen,
}: {
  execution: ExecutionSummaryFragment;
  /** The execution this one reruns, when a Rerun here started it. */
  rerunOf: string | undefined;
  open: boolean;
  onOpen: (id: string) => void;
}) {
  const workflow = workflowOf(execution);
  const classes = [open && 'open', rerunOf && 'started'].filter(Boolean).join(' ');
  return (
    <tr data-id={execution.id} data-state={execution.state} className={classes || undefined}>
      <td>
        <div className="type">{typeLabel(execution.__typename)}</div>
        <code className="provider">{execution.provider}</code>
      </td>
      <td>
        <button
          type="button"
          className="link"
          title="Its steps"
          aria-expanded={open}
          onClick={() => onOpen(execution.id)}
        >
          <code>{execution.id}</code>
        </button>
        {rerunOf && (
          <div className="rerun-of">
            rerun of <code>{rerunOf}</code>
          </div>
        )}
      </td>
      <td>
        <span className={`state ${execution.state.toLowerCase()}`}>{execution.state}</span>
      </td>
      <td>
        <code>{execution.providerStatus ?? '—'}</code>
      </td>
      <td className="time">
        {execution.createdAt ? (
          <time dateTime={execution.createdAt}>{formatTime(execution.createdAt)}</time>
        ) : (
          '—'
        )}
      </td>
      <td className="workflow">{workflow ? <code>{workflow}</code> : '—'}</td>
    </tr>
  );
}
