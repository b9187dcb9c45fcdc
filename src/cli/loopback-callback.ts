/**
 * The loopback redirect of a native app (RFC 8252 §7.3): an HTTP server on 127.0.0.1 that waits for
 * the one authorization response carrying our `state`, answers the browser with a short page, and
 * stops. Requests without our state are answered 400 and otherwise ignored.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface CallbackResult {
  code?: string;
  error?: string;
  errorDescription?: string;
  iss?: string;
}

export interface LoopbackCallback {
  redirectUri: string;
  /** Resolves with the first response carrying `state`; rejects after `timeoutMs`. */
  wait(state: string, timeoutMs: number): Promise<CallbackResult>;
  close(): Promise<void>;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;

export async function startLoopbackCallback(port = 0, path = '/callback'): Promise<LoopbackCallback> {
  let deliver: ((result: CallbackResult) => void) | undefined;
  let expectedState: string | undefined;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    if (url.pathname !== path || expectedState === undefined || url.searchParams.get('state') !== expectedState) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Unexpected request', 'This address only receives one sign-in answer.'));
      return;
    }
    const result: CallbackResult = {
      code: url.searchParams.get('code') ?? undefined,
      error: url.searchParams.get('error') ?? undefined,
      errorDescription: url.searchParams.get('error_description') ?? undefined,
      iss: url.searchParams.get('iss') ?? undefined,
    };
    const ok = result.code !== undefined && result.error === undefined;
    res
      .writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
      .end(ok ? PAGE('Signed in', 'You can close this tab and go back to the terminal.') : PAGE('Not signed in', 'The sign-in was cancelled or refused. You can close this tab.'));
    expectedState = undefined;
    deliver?.(result);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actualPort } = server.address() as { port: number };

  return {
    redirectUri: `http://127.0.0.1:${actualPort}${path}`,
    wait(state, timeoutMs) {
      expectedState = state;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No sign-in arrived within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
        deliver = (result) => {
          clearTimeout(timer);
          resolve(result);
        };
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
