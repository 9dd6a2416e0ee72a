import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOGGER = new URL('../../src/telemetry/logger.ts', import.meta.url).href;

/** Runs `script` (with `createLogger` imported) in a child process; collects its stdout lines. */
function run(script: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { createLogger } from '${LOGGER}';\nconst logger = createLogger('info');\n${script}`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const messages = () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
  return { child, messages, exited: once(child, 'exit') };
}

// Stdout lines are written in batches (src/logger.ts); none may wait long or be lost at exit.
describe('log lines on stdout', () => {
  it('are written within a moment while the process runs', async () => {
    const { child, messages } = run(
      "logger.info('one short line'); setTimeout(() => undefined, 10_000);",
    );
    try {
      // Far below the batch size: only the periodic flush writes it.
      await expect.poll(messages, { timeout: 2_000, interval: 20 }).toEqual(['one short line']);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('waiting in the batch are written when the process exits', async () => {
    const { messages, exited } = run(
      "logger.info('first'); logger.warn('last before exit'); process.exit(3);",
    );
    const [code] = await exited;
    expect(code).toBe(3);
    expect(messages()).toEqual(['first', 'last before exit']);
  });

  it('waiting in the batch are written when the process dies of an uncaught error', async () => {
    const { messages, exited } = run(
      "logger.error('about to fail'); setTimeout(() => { throw new Error('boom'); }, 5);",
    );
    const [code] = await exited;
    expect(code).toBe(1);
    expect(messages()).toEqual(['about to fail']);
  });
});
