import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AtomEntry, renderAtomFeed } from './atom.ts';

/** One scripted answer, used once before the server's normal behaviour resumes. */
export type ScriptedResponse = {
  /** Answer normally this time (lets a fault land on a later request). */
  readonly pass?: boolean;
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Hang this long before answering (past a client timeout, to test it). */
  readonly delayMs?: number;
  /** Hold the answer until this settles: the test decides when it arrives. */
  readonly until?: Promise<unknown>;
};

export type RecordedRequest = { readonly endpoint: 'rss' | 'api'; readonly url: URL; readonly at: number };

/**
 * A local arXiv: `/rss/<cats>` serves the configured feed, `/api/query` answers export-API queries
 * (`id_list`, `cat:` ORs and `submittedDate`/`lastUpdatedDate` ranges, paging) from an in-memory
 * corpus. Every request is recorded; scripted responses inject faults.
 */
export class FakeArxiv {
  readonly requests: RecordedRequest[] = [];
  rss = '';
  corpus: AtomEntry[] = [];
  /** While set, every request is answered with this status (an outage: 503 as arXiv's own maintenance page). */
  outage: number | null = null;
  readonly #scripts: Record<'rss' | 'api', ScriptedResponse[]> = { rss: [], api: [] };
  readonly #server = createServer((request, response) => void this.#handle(request, response));
  readonly #events = new EventEmitter();
  #base = '';

  static async start(): Promise<FakeArxiv> {
    const fake = new FakeArxiv();
    fake.#server.listen(0, '127.0.0.1');
    await once(fake.#server, 'listening');
    fake.#base = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  get rssUrl(): string {
    return `${this.#base}/rss`;
  }

  get apiUrl(): string {
    return `${this.#base}/api/query`;
  }

  script(endpoint: 'rss' | 'api', ...responses: ScriptedResponse[]): void {
    this.#scripts[endpoint].push(...responses);
  }

  /** Resolves once `count` requests have arrived (past or future). */
  async requested(count: number): Promise<void> {
    while (this.requests.length < count) await once(this.#events, 'request');
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.#base);
    const endpoint = url.pathname.startsWith('/rss/') ? 'rss' : url.pathname === '/api/query' ? 'api' : null;
    if (!endpoint) {
      response.writeHead(404).end('not found');
      return;
    }
    this.requests.push({ endpoint, url, at: Date.now() });
    this.#events.emit('request');
    if (this.outage !== null) {
      response.writeHead(this.outage, { 'content-type': 'text/html' }).end('<html><body><h1>Service Unavailable</h1></body></html>');
      return;
    }
    const scripted = this.#scripts[endpoint].shift();
    if (scripted && !scripted.pass) {
      if (scripted.delayMs) await new Promise((done) => setTimeout(done, scripted.delayMs));
      if (scripted.until) await scripted.until;
      if (response.destroyed) return;
      response.writeHead(scripted.status ?? 200, { 'content-type': 'application/xml', ...scripted.headers }).end(scripted.body ?? '');
      return;
    }
    const body = endpoint === 'rss' ? this.rss : this.#query(url);
    response.writeHead(200, { 'content-type': endpoint === 'rss' ? 'application/rss+xml' : 'application/atom+xml' }).end(body);
  }

  #query(url: URL): string {
    const query = url.searchParams.get('search_query') ?? '';
    const ids = (url.searchParams.get('id_list') ?? '').split(',').filter(Boolean);
    const start = Number(url.searchParams.get('start') ?? 0);
    const perPage = Number(url.searchParams.get('max_results') ?? 10);
    const matches = this.corpus.filter((entry) => (ids.length ? ids.includes(entry.id) : matchesQuery(entry, query)));
    const field = url.searchParams.get('sortBy') === 'lastUpdatedDate' ? 'updated' : 'published';
    matches.sort((a, b) => a[field].localeCompare(b[field]) || a.id.localeCompare(b.id));
    return renderAtomFeed(matches.slice(start, start + perPage), { total: matches.length, start, perPage, query: url.search.slice(1) });
  }
}

function matchesQuery(entry: AtomEntry, query: string): boolean {
  const cats = [...query.matchAll(/cat:(\S+?)(?=[\s)]|$)/g)].map((match) => match[1]);
  if (cats.length && !entry.categories.some((category) => cats.includes(category))) return false;
  for (const [, field, from, to] of query.matchAll(/(submittedDate|lastUpdatedDate):\[(\d{12}) TO (\d{12})\]/g)) {
    const stamp = compact(field === 'submittedDate' ? entry.published : entry.updated);
    if (stamp < (from as string) || stamp > (to as string)) return false;
  }
  return true;
}

function compact(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:T]/g, '').slice(0, 12);
}
