import { useCallback, useState } from 'react';
import { GRAPHQL_URL } from './apollo.js';
import { ById } from './ById.js';
import { idsFromLocation, viewFromLocation, writeLocation, writeView, type View } from './ids.js';
import type { Started } from './Pane.js';
import { Recent } from './Recent.js';

const VIEWS: Array<[View, string]> = [
  ['recent', 'Recent'],
  ['ids', 'By id'],
];

export function App() {
  const [view, setView] = useState(viewFromLocation);
  const [ids, setIds] = useState(idsFromLocation);
  const open = (next: View) => {
    setView(next);
    writeView(next);
  };
  const show = (next: string[]) => {
    setIds(next);
    writeLocation(next);
  };
  // What Rerun started in either view, newest first: Recent shows these at its top.
  const [started, setStarted] = useState<Started[]>([]);
  const onStarted = useCallback(
    (made: Started) => setStarted((before) => [made, ...before.filter(({ id }) => id !== made.id)]),
    [],
  );

  return (
    <main className="page">
      <header className="top">
        <h1>Executions</h1>
        <span className="endpoint" title="GraphQL endpoint">
          {GRAPHQL_URL}
        </span>
      </header>
      <nav className="tabs" role="tablist" aria-label="Views">
        {VIEWS.map(([key, label]) => (
          <button
            type="button"
            role="tab"
            key={key}
            aria-selected={view === key}
            className={view === key ? 'tab selected' : 'tab'}
            onClick={() => open(key)}
          >
            {label}
          </button>
        ))}
      </nav>
      {view === 'recent' ? (
        <Recent
          started={started}
          onStarted={onStarted}
          onOpen={(id) => {
            show([id]);
            open('ids');
          }}
        />
      ) : (
        // Keyed by the ids: opening one from Recent starts the id box over with it.
        <ById key={ids.join('\n')} ids={ids} onShow={show} onStarted={onStarted} />
      )}
    </main>
  );
}
