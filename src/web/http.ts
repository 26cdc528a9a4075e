import type { SafeHtml } from '../rendering/html.ts';

/** A request as the routes see it: parsed once by the server, no Node stream in sight. */
export type WebRequest = {
  readonly method: string;
  /** Path and query; the origin is a placeholder, links are built from paths or WEB_BASE_URL. */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client's IP (the proxy's last X-Forwarded-For entry when WEB_TRUST_PROXY is set). */
  readonly clientAddress: string;
  /** The url-encoded form body of a POST; empty otherwise. */
  readonly form: URLSearchParams;
  /** Named parts of the route's path (`/day/:day`). */
  readonly params: Readonly<Record<string, string>>;
};

export type WebResponse = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
};

/** Public, read-only data may be cached briefly by browsers and proxies. */
export const SHORT_CACHE = 'public, max-age=300';
/** Pages with tokens or personal data must not be stored anywhere. */
export const NO_STORE = 'no-store';

export function htmlResponse(status: number, page: SafeHtml, cache = SHORT_CACHE): WebResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': cache }, body: page.value };
}

/** JSON for the API: readable by any origin (public data, no cookies exist). */
export function jsonResponse(status: number, value: unknown, cache = SHORT_CACHE): WebResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': cache,
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    },
    body: `${JSON.stringify(value, null, 2)}\n`,
  };
}

export function atomResponse(xml: string): WebResponse {
  return {
    status: 200,
    headers: {
      'content-type': 'application/atom+xml; charset=utf-8',
      'cache-control': SHORT_CACHE,
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    },
    body: xml,
  };
}

export function textResponse(status: number, text: string, extra: Readonly<Record<string, string>> = {}): WebResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': NO_STORE, ...extra }, body: text };
}

/** 303: after a POST, and for URLs that have a canonical form (a versioned arXiv id). */
export function redirectResponse(location: string, status = 303): WebResponse {
  return { status, headers: { location, 'cache-control': status === 301 ? SHORT_CACHE : NO_STORE }, body: '' };
}
