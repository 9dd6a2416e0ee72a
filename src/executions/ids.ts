import { badUserInput } from '../errors.js';

export interface ParsedId {
  key: string;
  nativeId: string;
}

/** The longest id accepted; longer ones are `BAD_USER_INPUT` before any upstream call. */
const MAX_ID_LENGTH = 512;

/**
 * Splits a global id `<provider key>:<native id>` at the first colon only: the native id may
 * contain anything (including colons and slashes) and is percent-encoded later, never parsed.
 */
export function parseGlobalId(id: string, knownKeys: readonly string[]): ParsedId {
  const colon = id.indexOf(':');
  if (id.length > MAX_ID_LENGTH) {
    throw badUserInput(`Execution id ${shown(id)} is longer than ${MAX_ID_LENGTH} characters.`, {
      limit: MAX_ID_LENGTH,
    });
  }
  if (!id.isWellFormed()) {
    // encodeURIComponent cannot encode a lone surrogate: refuse it here, with a reason.
    throw badUserInput(`Execution id ${shown(id)} contains an unpaired UTF-16 surrogate.`);
  }
  if (colon <= 0) {
    throw badUserInput(
      `Execution id ${shown(id)} is malformed: expected "<provider>:<native id>" with provider one of ${knownKeys.join(', ')}.`,
    );
  }
  const key = id.slice(0, colon);
  const nativeId = id.slice(colon + 1);
  if (!knownKeys.includes(key)) {
    throw badUserInput(
      `Execution id ${shown(id)} names an unknown provider "${key}": use one of ${knownKeys.join(', ')}.`,
    );
  }
  if (nativeId.length === 0) {
    throw badUserInput(`Execution id ${shown(id)} has an empty native id after "${key}:".`);
  }
  if (nativeId === '.' || nativeId === '..') {
    // Percent-encoding leaves dots as they are, and a server that normalises paths would read
    // `/executions/..` as another path: such an id names no execution anywhere.
    throw badUserInput(
      `Execution id ${shown(id)} has the native id "${nativeId}", which is a path step, not an id.`,
    );
  }
  return { key, nativeId };
}

/** An id as error messages quote it, shortened past 80 characters. */
function shown(id: string): string {
  return JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id);
}

export function globalId(key: string, nativeId: string): string {
  return `${key}:${nativeId}`;
}
