import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../programs.js';
import { startHarness, type Harness } from '../harness.js';

/** A page of its own origin on loopback, for the browser to call the subgraph from. */
async function origin(): Promise<{ server: Server; url: string }> {
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>a frontend</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let allowed: { server: Server; url: string };
let other: { server: Server; url: string };
let h: Harness;
let browser: Browser;

beforeAll(async () => {
  allowed = await origin();
  other = await origin();
  h = await startHarness({ CORS_ORIGINS: `${allowed.url},http://localhost:5173` });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
  for (const { server } of [allowed, other]) server?.close();
});

/** What a page on `from` gets when it POSTs a query with the Refold header (a preflight). */
async function callFrom(from: string): Promise<string> {
  const page = await browser.newPage();
  try {
    await page.goto(from);
    return await page.evaluate(async (graphql) => {
      try {
        const response = await fetch(graphql, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-refold-linked-account-id': 'demo-customer',
          },
          body: JSON.stringify({ query: '{ execution(id: "durable:wf_root_1") { id state } }' }),
        });
        return await response.text();
      } catch (error) {
        return `blocked: ${String(error)}`;
      }
    }, `${h.app.url}/graphql`);
  } finally {
    await page.close();
  }
}

describe('CORS_ORIGINS', () => {
  it('lets a page on an allowed origin call /graphql from the browser', async () => {
    expect(JSON.parse(await callFrom(allowed.url))).toEqual({
      data: { execution: { id: 'durable:wf_root_1', state: 'RUNNING' } },
    });
  });

  it('leaves a page on any other origin blocked by the browser, before any upstream call', async () => {
    h.reset();
    expect(await callFrom(other.url)).toMatch(/^blocked: TypeError/);
    expect(h.sims.durable!.requests).toHaveLength(0);
  });
});
