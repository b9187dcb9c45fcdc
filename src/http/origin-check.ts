/**
 * Origin validation for /mcp (MCP transports spec: servers must validate Origin against DNS
 * rebinding). Requests without Origin (server-side and native clients) pass; a browser origin must
 * be our own, listed in ALLOWED_ORIGINS, or loopback while we ourselves run on loopback.
 * Allowed browser origins also get CORS so web-based clients can call /mcp.
 */
import type { RequestHandler } from 'express';
import { isLoopbackHost } from '../loopback.js';

export function originCheck(options: { publicUrl: string; allowedOrigins: readonly string[] }): RequestHandler {
  const own = new URL(options.publicUrl);
  const allowed = new Set([own.origin, ...options.allowedOrigins]);
  const loopbackDev = isLoopbackHost(own.hostname);

  const isAllowed = (origin: string): boolean => {
    if (allowed.has(origin)) return true;
    if (!loopbackDev || !URL.canParse(origin)) return false;
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  };

  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    if (!isAllowed(origin)) {
      res.status(403).json({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Forbidden: this Origin may not call the MCP endpoint.' } });
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
