/** `DurableWorkflowExecution` as "Durable Workflow". */
export function typeLabel(typename: string): string {
  return typename.replace(/Execution$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** `SEARCH_NOT_SUPPORTED` as "search not supported". */
export function codeLabel(code: string): string {
  return code.toLowerCase().replaceAll('_', ' ');
}

export function formatTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—';
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Number(seconds.toFixed(2))} s`;
  const [unit, next, size, nextSize] =
    seconds < 3600
      ? ['min', 's', 60, 1]
      : seconds < 86_400
        ? ['h', 'min', 3600, 60]
        : ['d', 'h', 86_400, 3600];
  const whole = Math.floor(seconds / size);
  return `${whole} ${unit} ${Math.floor((seconds - whole * size) / nextSize)} ${next}`;
}
