import { providerSettings } from '../../src/providers.js';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoAppOptions, startDemoProviders, type DemoProviders } from '../../src/demo.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { startApp, type App } from '../../src/http/server.js';
import { launchChromium } from '../programs.js';

const ARTIFACTS = new URL('../../artifacts/', import.meta.url);
const TYPENAMES = [
  'CloudShellExecution',
  'DurableWorkflowExecution',
  'RefoldExecution',
  'PaymentWorkflowExecution',
  'ServerlessWorkflowExecution',
];

let demo: DemoProviders;
let app: App;
let browser: Browser;
let page: Page;
const requested: string[] = [];
const blocked: string[] = [];

beforeAll(async () => {
  // The demo as `npm start` wires it: simulated providers, the app, GraphiQL's defaults.
  demo = await startDemoProviders();
  // Its subscription tab watches one of the demo's live executions.
  const options = demoAppOptions(demo);
  expect(options.graphiql!.subscription).toContain('subscription WatchExecution');
  expect(options.graphiql!.steps).toContain('query Steps');
  app = await startApp(
    loadConfig(
      { ...demo.env, PORT: '0', HOST: '127.0.0.1', WATCH_INTERVAL_MS: '250' },
      providerSettings,
    ),
    createLogger('silent'),
    options,
  );
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 2100 } });
  const origin = new URL(app.url).origin;
  // The network is closed: anything but the server's own origin is refused and recorded.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    requested.push(url);
    if (new URL(url).origin === origin) return route.continue();
    blocked.push(url);
    return route.abort();
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await demo?.close();
});

describe('GraphiQL in a browser', () => {
  it('loads from the server alone and runs the example query over all five providers', async () => {
    await page.goto(`${app.url}/graphql`);
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toContain('ServerlessWorkflowExecution');
    for (const typename of TYPENAMES)
      await expect.poll(() => result.textContent()).toContain(typename);
    expect(await result.textContent()).not.toContain('"errors"');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('graphiql.png', ARTIFACTS).pathname });

    expect(blocked).toEqual([]);
    const origin = new URL(app.url).origin;
    expect(requested.every((url) => new URL(url).origin === origin)).toBe(true);
    expect(requested.some((url) => url.endsWith('/graphiql/graphiql.min.js'))).toBe(true);
  });

  it('prefills the Refold header and documents the schema from introspection', async () => {
    await page.getByText('Headers', { exact: true }).click();
    await expect
      .poll(() => page.locator('.graphiql-editor-tool').textContent())
      .toContain('x-refold-linked-account-id');
    await page.locator('[aria-label="Show Documentation Explorer"]').click();
    await page
      .locator('.graphiql-doc-explorer')
      .getByText('Query', { exact: true })
      .first()
      .click();
    await expect
      .poll(() => page.locator('.graphiql-doc-explorer').textContent())
      .toContain('Several executions by global id');
  });

  it('runs the Recent tab: the newest executions of the listing providers, newest first', async () => {
    await page.locator('.graphiql-tab', { hasText: 'Recent' }).click();
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    // The result editor draws only the lines in view: the first nodes of the page.
    const created = async () =>
      [...((await result.textContent()) ?? '').matchAll(/"createdAt":\s*"([^"]+)"/g)].map(
        (match) => match[1]!,
      );
    await expect.poll(async () => (await created()).length, { timeout: 15_000 }).toBeGreaterThan(5);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('"searchExecutions"');
    expect(text).not.toContain('"errors"');
    const times = await created();
    expect([...times].sort().reverse()).toEqual(times);
    for (const typename of ['DurableWorkflowExecution', 'ServerlessWorkflowExecution']) {
      expect(text).toContain(typename);
    }
    await page.screenshot({ path: new URL('graphiql-recent.png', ARTIFACTS).pathname });
  });

  it('runs the Steps tab: where a failed execution failed, and that it can be rerun', async () => {
    await page.locator('.graphiql-tab', { hasText: 'Steps' }).click();
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toMatch(/"steps":\s*\[/);
    const text = (await result.textContent()) ?? '';
    expect(text).not.toContain('"errors"');
    expect(text).toMatch(/"state":\s*"FAILED"/);
    expect(text).toMatch(/"canRerun":\s*true/);
    expect(text).toMatch(/"providerStatus":/);
    await page.screenshot({ path: new URL('graphiql-steps.png', ARTIFACTS).pathname });
  });

  it('runs the subscription tab over the WebSocket and shows live events as they arrive', async () => {
    // The live executions start again from their first status.
    for (const sim of Object.values(demo.simulators)) sim.reset();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.locator('.graphiql-tab', { hasText: 'WatchExecution' }).click();
    // At once: GraphiQL's editor updates its operation name 100 ms after a tab switch.
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const text = (await result.textContent()) ?? '';
          const status = /"providerStatus":\s*"([^"]+)"/.exec(text)?.[1];
          if (status && seen.at(-1) !== status) seen.push(status);
          return seen.length;
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(2);
    expect(await result.textContent()).not.toContain('"errors"');
    expect(sockets).toEqual([`${app.url.replace('http', 'ws')}/graphql`]);
    await page.screenshot({ path: new URL('graphiql-subscription.png', ARTIFACTS).pathname });
    expect(blocked).toEqual([]);
  }, 40_000);
});
