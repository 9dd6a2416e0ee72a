import WebSocket from 'ws';

/** `ws`'s WebSocket sending `headers` on the upgrade request (graphql-ws's `webSocketImpl`). */
export function socketWithHeaders(headers: Record<string, string>) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

/** Whether graphql-ws reported a closed socket (a close event), not an error. */
export function isCloseEvent(value: unknown): value is { code: number } {
  return typeof value === 'object' && value !== null && 'code' in value;
}
