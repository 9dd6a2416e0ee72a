/** Ids from pasted text: split at whitespace and commas, each once, in order. */
export function parseIds(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** The ids the page shows, kept in its address (`?ids=a,b`) so that it can be shared or reloaded. */
export function idsFromLocation(): string[] {
  return parseIds(new URLSearchParams(window.location.search).get('ids') ?? '');
}

export function writeLocation(ids: string[]): void {
  const url = new URL(window.location.href);
  if (ids.length > 0) url.searchParams.set('ids', ids.join(','));
  else url.searchParams.delete('ids');
  window.history.replaceState(null, '', url);
}

/** Ids offered to pick (`VITE_SAMPLE_IDS`, comma-separated), e.g. the demo's. */
export const SAMPLE_IDS = parseIds(import.meta.env.VITE_SAMPLE_IDS || '');

/** The console's two views: the newest executions, and the ones of given ids. */
export type View = 'recent' | 'ids';

/** The view in the address (`?view=`); without one, By id when the address has ids, else Recent. */
export function viewFromLocation(): View {
  const params = new URLSearchParams(window.location.search);
  const view = params.get('view');
  if (view === 'recent' || view === 'ids') return view;
  return params.has('ids') ? 'ids' : 'recent';
}

export function writeView(view: View): void {
  const url = new URL(window.location.href);
  url.searchParams.set('view', view);
  window.history.replaceState(null, '', url);
}
