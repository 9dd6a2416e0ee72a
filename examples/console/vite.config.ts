import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The executions console. `VITE_GRAPHQL_URL` (default `/graphql`, the gateway's path on the
 * page's own origin) is where it sends operations; WebSocket subscriptions go to the same URL.
 * `VITE_GRAPHQL_HEADERS` (default none) is a JSON object of headers sent with every operation,
 * for development only: in production the gateway sets them from the signed-in user.
 * `VITE_SAMPLE_IDS` (default none): comma-separated ids offered to pick.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: { outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  clearScreen: false,
});
