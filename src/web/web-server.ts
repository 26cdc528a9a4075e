import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { htmlResponse, jsonResponse, NO_STORE, SHORT_CACHE, type WebRequest, type WebResponse } from './http.ts';
import { noticePage } from './pages/notice-page.ts';
import { createRouter, type Route } from './router.ts';
import { notFound } from './routes/not-found.ts';
import { securityHeaders } from './security-headers.ts';
import type { WebContext } from './web-context.ts';

/** Forms are two short fields; anything bigger is not ours. */
export const MAX_BODY_BYTES = 8 * 1024;
/**
 * Requests being answered get this long to finish when the server stops (ours take milliseconds);
 * serve as a whole must end within 5 s of SIGTERM.
 */
const STOP_GRACE_MS = 2000;

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Node's request/response → WebRequest → the route → WebResponse, with the security headers on every answer. */
export function createWebHandler(context: WebContext, routes: readonly Route[], trustProxy: boolean): RequestHandler {
  const route = createRouter(routes);
  const headers = securityHeaders(context.baseUrl);
  const log = context.log.child({ module: 'web' });
  return (incoming, outgoing) => {
    const started = performance.now();
    answer(incoming)
      .catch((error: unknown) => {
        // Tokens travel in query strings: log the path only.
        log.error({ err: error, method: incoming.method, path: pathOf(incoming) }, 'request failed');
        if (isApiPath(pathOf(incoming))) return jsonResponse(500, { error: 'something went wrong; please try again in a moment' }, NO_STORE);
        return htmlResponse(
          500,
          noticePage(context, { title: 'Something went wrong', paragraphs: ['Please try again in a moment.'], problem: true }),
          NO_STORE,
        );
      })
      .then((response) => {
        outgoing.writeHead(response.status, { ...headers, ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) });
        outgoing.end(response.body);
        log.debug({ method: incoming.method, path: pathOf(incoming), status: response.status, ms: Math.round(performance.now() - started) }, 'request');
      });
  };

  async function answer(incoming: IncomingMessage): Promise<WebResponse> {
    const api = isApiPath(pathOf(incoming));
    const url = requestUrl(incoming.url);
    if (!url) return plainError(400, 'bad request', api);
    const method = incoming.method ?? 'GET';
    const match = route(method, url.pathname);
    if (!match) return api ? jsonResponse(404, { error: 'not found' }, SHORT_CACHE) : notFound(context);
    if ('allowed' in match) {
      const allowed = [...new Set(match.allowed.flatMap((item) => (item === 'GET' ? ['GET', 'HEAD'] : [item])))].join(', ');
      const refused = plainError(405, 'method not allowed', api);
      return { ...refused, headers: { ...refused.headers, allow: allowed } };
    }
    const body = method === 'POST' ? await readBody(incoming) : '';
    if (body === null) return plainError(413, 'request too large', api);
    const form = isForm(incoming) ? new URLSearchParams(body) : new URLSearchParams();
    const request: WebRequest = { method, url, headers: incoming.headers, clientAddress: clientAddress(incoming, trustProxy), form, params: match.params };
    return match.handle(request);
  }
}

/**
 * The request target as a URL on a placeholder origin, or null when it is not a path. Joined as
 * text rather than resolved against a base: `//x` resolved would be the host x (and `//` no URL at
 * all), where it is only a path that names nothing here.
 */
function requestUrl(target: string | undefined): URL | null {
  if (!target?.startsWith('/')) return null;
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return null;
  }
}

/** `/api/…` answers in JSON, errors included: a client of the API never has to parse a page. */
function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

function plainError(status: number, message: string, api: boolean): WebResponse {
  if (api) return jsonResponse(status, { error: message }, NO_STORE);
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': NO_STORE }, body: `${message}\n` };
}

export type RunningWebServer = { readonly url: string; readonly server: Server; close(): Promise<void> };

export async function startWebServer(handler: RequestHandler, host: string, port: number): Promise<RunningWebServer> {
  const server = createServer(handler);
  // Slow or stalled clients must not hold connections open for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  // Connections with no request being answered: idle keep-alives, and clients that sent half a
  // request and went quiet (closeIdleConnections leaves those open until their headersTimeout).
  const open = new Set<Socket>();
  const answering = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    answering.add(request.socket);
    response.once('close', () => answering.delete(request.socket));
  });
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    server,
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeIdleConnections();
      for (const socket of open) if (!answering.has(socket)) socket.destroy();
      const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
      await closed;
      clearTimeout(force);
    },
  };
}

/** The body as text, or null when it is larger than MAX_BODY_BYTES (the rest is read and dropped). */
function readBody(incoming: IncomingMessage): Promise<string | null> {
  // Node reads and drops an unread body itself once the response is sent.
  if (Number(incoming.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    incoming.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

function isForm(incoming: IncomingMessage): boolean {
  return (incoming.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function clientAddress(incoming: IncomingMessage, trustProxy: boolean): string {
  const forwarded = incoming.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    // The proxy appends the address it saw; earlier entries are whatever the client claimed.
    const last = forwarded.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return incoming.socket.remoteAddress ?? 'unknown';
}

function pathOf(incoming: IncomingMessage): string {
  return (incoming.url ?? '').split('?')[0] ?? '';
}
