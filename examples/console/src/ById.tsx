import { useState } from 'react';
import { Executions } from './Executions.js';
import { parseIds, SAMPLE_IDS } from './ids.js';
import type { Started } from './Pane.js';

/** The id box: paste or pick ids, then see those executions. `onStarted` takes what a rerun started. */
export function ById({
  ids,
  onShow,
  onStarted,
}: {
  ids: string[];
  onShow: (ids: string[]) => void;
  onStarted: (started: Started) => void;
}) {
  const [draft, setDraft] = useState(() => ids.join('\n'));
  const show = (next: string[]) => {
    setDraft(next.join('\n'));
    onShow(next);
  };
  const pick = (picked: string[]) =>
    setDraft(parseIds(`${draft}\n${picked.join('\n')}`).join('\n'));

  return (
    <>
      <form
        className="ids"
        onSubmit={(event) => {
          event.preventDefault();
          show(parseIds(draft));
        }}
      >
        <label htmlFor="ids">Execution ids</label>
        <textarea
          id="ids"
          rows={4}
          spellCheck={false}
          placeholder="One per line, e.g. durable:wf_root_1"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <div className="actions">
          <button type="submit">Show</button>
          {draft && (
            <button type="button" className="secondary" onClick={() => show([])}>
              Clear
            </button>
          )}
        </div>
        {SAMPLE_IDS.length > 0 && (
          <div className="samples" aria-label="Sample ids">
            <span>Pick:</span>
            {SAMPLE_IDS.map((id) => (
              <button type="button" key={id} className="chip" onClick={() => pick([id])}>
                {id}
              </button>
            ))}
            <button type="button" className="chip all" onClick={() => pick(SAMPLE_IDS)}>
              all
            </button>
          </div>
        )}
      </form>
      {ids.length > 0 ? (
        <Executions key={ids.join('\n')} ids={ids} onStarted={onStarted} />
      ) : (
        <p className="empty">Paste or pick execution ids, then Show.</p>
      )}
    </>
  );
}
