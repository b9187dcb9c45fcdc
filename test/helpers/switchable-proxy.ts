/**
 * A loopback HTTP proxy in front of the upstream whose behaviour a test switches: pass, hang, or
 * down (502). It also counts how many requests it held open at once (`maxInFlight`).
 */
import { createServer, request, type Server } from 'node:http';

export type ProxyMode = 'pass' | 'hang' | 'down' | { delayMs: number };

export interface SwitchableProxy {
  url: string;
  setMode(mode: ProxyMode): void;
  /** The most requests open at once since the last reset. */
  maxInFlight(): number;
  resetCounts(): void;
  close(): Promise<void>;
}

export async function startSwitchableProxy(target: string): Promise<SwitchableProxy> {
  let mode: ProxyMode = 'pass';
  let inFlight = 0;
  let maxInFlight = 0;
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    if (mode === 'hang') return;
    if (mode === 'down') return void res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
    const forward = () => {
      const outbound = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
        },
      );
      outbound.on('error', () => res.destroy());
      req.pipe(outbound);
    };
    if (typeof mode === 'object') setTimeout(forward, mode.delayMs);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    setMode(next) {
      mode = next;
    },
    maxInFlight: () => maxInFlight,
    resetCounts() {
      maxInFlight = inFlight;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
