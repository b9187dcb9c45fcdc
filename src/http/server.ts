/**
 * The one HTTP server Gatehouse listens with, in production and in the tests, so both close idle
 * connections on the same schedule.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * Longer than the 60 s idle timeout of common proxies and load balancers, so the peer closes an idle
 * connection first: when the server closes it first, a request the peer sent at that moment meets
 * a reset instead of an answer.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Above the keep-alive timeout, as Node requires for the header timer not to cut a reused connection short. */
const HEADERS_TIMEOUT_MS = 66_000;
/** A whole request, body included; the longest upstream call is far shorter. */
const REQUEST_TIMEOUT_MS = 120_000;

export function createHttpServer(listener?: RequestListener): Server {
  const server = listener === undefined ? createServer() : createServer(listener);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  return server;
}
