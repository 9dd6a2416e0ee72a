import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Node loads graphql's CommonJS build (its package.json has no "exports"), as do Apollo Server
  // and @apollo/subgraph; Vite would pick the "module" build for our own files, and graphql-js
  // refuses a schema built by one copy in the other.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/programs.ts'],
    testTimeout: 20_000,
  },
});
