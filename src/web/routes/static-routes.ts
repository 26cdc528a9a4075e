import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { WebResponse } from '../http.ts';
import type { Route } from '../router.ts';

const STYLE = readFileSync(new URL('../style.css', import.meta.url));

/** Changes with the stylesheet's content: pages link `/style.css?v=<this>`, cached for a year. */
export const STYLE_VERSION = createHash('sha256').update(STYLE).digest('hex').slice(0, 12);

const ROBOTS = 'User-agent: *\nDisallow: /email/\nDisallow: /api/\nDisallow: /search\n';

export function staticRoutes(): Route[] {
  return [
    { method: 'GET', path: '/style.css', handle: async () => file('text/css; charset=utf-8', STYLE, 'public, max-age=31536000, immutable') },
    { method: 'GET', path: '/robots.txt', handle: async () => file('text/plain; charset=utf-8', ROBOTS, 'public, max-age=86400') },
    // Browsers ask for it on every site; an empty answer beats a 404 page.
    { method: 'GET', path: '/favicon.ico', handle: async () => ({ status: 204, headers: { 'cache-control': 'public, max-age=86400' }, body: '' }) },
  ];
}

function file(type: string, body: string | Uint8Array, cache: string): WebResponse {
  return { status: 200, headers: { 'content-type': type, 'cache-control': cache }, body };
}
