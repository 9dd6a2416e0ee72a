import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { REDIS_SERVER } from './support/redis-server.js';

/** Debian's Chromium, which `npm run setup` installs; `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Programs the suite runs beyond npm packages, by what they are for. */
const PROGRAMS: ReadonlyArray<{ path: string; name: string }> = [
  { path: CHROMIUM, name: 'Chromium (the browser tests)' },
  { path: REDIS_SERVER, name: 'redis-server (the cache tests)' },
];

/**
 * Vitest's global setup: a missing program stops the run before any test, in one line that
 * names the command that installs it, instead of failing one test file minutes in.
 */
export default function checkPrograms(): void {
  const missing = PROGRAMS.filter(({ path }) => !existsSync(path));
  if (missing.length === 0) return;
  const names = missing.map(({ name, path }) => `${name} at ${path}`).join(', ');
  const error = new Error(`Missing ${names}: run 'npm run setup' first.`);
  error.stack = error.message;
  throw error;
}

/** Debian's Chromium, headless, with nothing of its own reaching for the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}
