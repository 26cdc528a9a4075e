import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { recordRun } from '../../src/store/runs.ts';
import { storeDay } from '../helpers/classified.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb } from '../helpers/web.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');

type PaperJson = { id: string; title: string; tags: string[]; links: { page: string; arxiv: string; pdf: string }; versions?: unknown[] };
type SearchJson = { query: string; description: string; offset: number; papers: PaperJson[]; next: string | null; previous: string | null };

describe('the JSON API and /healthz', () => {
  let app: App;
  let web: TestWeb;
  const json = async <T>(path: string, status = 200): Promise<T> => {
    const response = await web.get(path);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    await storeDay(app, '2025-12-16', 1, 15, ['serving']);
    await storeDay(app, '2025-12-18', 30, 10, ['MoE', 'serving']);
    web = await startTestWeb(app);
  });
  afterAll(async () => {
    await web.close();
    await app.close();
  });

  it('GIVEN /api/papers?q= THEN the page of results as JSON with absolute next and previous links', async () => {
    const first = await json<SearchJson>('/api/papers?q=serving');
    expect(first).toMatchObject({ query: 'serving', description: 'serving papers', offset: 0, previous: null });
    expect(first.papers).toHaveLength(20);
    expect(first.papers[0]).toMatchObject({
      id: '2512.10039',
      title: 'Paper 39: Efficient LLM Serving with Batching',
      tags: ['MoE', 'serving'],
      links: { page: `${web.url}/paper/2512.10039`, arxiv: 'https://arxiv.org/abs/2512.10039v1', pdf: 'https://arxiv.org/pdf/2512.10039v1' },
    });
    expect(first.next).toMatch(new RegExp(`^${web.url}/api/papers\\?q=serving&cursor=p1\\.`));
    const second = await json<SearchJson>((first.next as string).slice(web.url.length));
    expect(second.offset).toBe(20);
    expect(second.papers).toHaveLength(5);
    expect(second.next).toBeNull();
    expect(second.previous).toBe(`${web.url}/api/papers?q=serving`);
  });

  it('GIVEN a query the parser rejects THEN 400 with the message', async () => {
    expect(await json('/api/papers?q=tag:nonsense', 400)).toEqual({ error: expect.stringMatching(/^“nonsense” is not a tag\. Tags: serving training/) });
  });

  it('GIVEN a forged cursor THEN 400, not a crash', async () => {
    expect(await json('/api/papers?cursor=p1.eyJvIjo5OTk5OX0', 400)).toEqual({ error: expect.stringContaining('expired or was altered') });
  });

  it('GIVEN /api/papers/{id} THEN the paper with its versions; unknown ids 404', async () => {
    const paper = await json<PaperJson>('/api/papers/2512.10031v1');
    expect(paper.id).toBe('2512.10031');
    expect(paper.versions).toEqual([
      { version: 1, title: 'Paper 31: Efficient LLM Serving with Batching', announcedOn: '2025-12-18', announceType: 'new', updatedAt: null },
    ]);
    expect(await json('/api/papers/2512.99999', 404)).toEqual({ error: 'no such paper' });
  });

  it('GIVEN /api/days/latest and /api/days/{day} THEN the day with links to its neighbours', async () => {
    const latest = await json<{ day: string; papers: PaperJson[]; previous: string | null; next: string | null }>('/api/days/latest');
    expect(latest.day).toBe('2025-12-18');
    expect(latest.papers).toHaveLength(10);
    expect(latest.previous).toBe(`${web.url}/api/days/2025-12-16`);
    expect(latest.next).toBeNull();
    const earlier = await json<{ papers: PaperJson[]; next: string }>('/api/days/2025-12-16');
    expect(earlier.papers).toHaveLength(15);
    expect(earlier.next).toBe(`${web.url}/api/days/2025-12-18`);
    expect(await json('/api/days/tomorrow', 404)).toEqual({ error: 'expected a day as YYYY-MM-DD or latest' });
  });

  it('GIVEN /api/tags THEN the vocabulary', async () => {
    const tags = await json<{ name: string; synonyms: string[] }[]>('/api/tags');
    expect(tags.map((tag) => tag.name)).toContain('MoE');
    expect(tags.find((tag) => tag.name === 'serving')?.synonyms).toContain('inference');
  });

  it('GIVEN a healthy process THEN /healthz says ok with the last run', async () => {
    await recordRun(app.db, {
      kind: 'ingest',
      day: '2025-12-18',
      source: 'rss',
      status: 'ok',
      startedAt: new Date('2025-12-19T00:00:00Z'),
      finishedAt: new Date('2025-12-19T00:01:00Z'),
    });
    const health = await json<Record<string, unknown>>('/healthz');
    expect(health).toMatchObject({
      status: 'ok',
      database: 'ok',
      lastRun: { kind: 'ingest', status: 'ok', day: '2025-12-18', startedAt: '2025-12-19T00:00:00.000Z', finishedAt: '2025-12-19T00:01:00.000Z' },
    });
  });

  it('GIVEN an archive SQLite will not write THEN /healthz answers 503 read-only, and 200 again once it will', async () => {
    const readOnly = await openTestApp({}, { now: clock.now });
    const site = await startTestWeb(readOnly);
    try {
      // SQLite's own switch: writes fail with SQLITE_READONLY, as on a read-only file, folder or mount.
      await readOnly.db.exec('PRAGMA query_only = ON');
      const refused = await site.get('/healthz');
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ status: 'error', database: 'read-only', detail: expect.stringMatching(/SQLITE_READONLY/) });

      await readOnly.db.exec('PRAGMA query_only = OFF');
      expect((await site.get('/healthz')).status).toBe(200);
    } finally {
      await site.close();
      await readOnly.close();
    }
  });

  it('GIVEN an archive file with damaged pages THEN /healthz answers 503 corrupt although the runs table reads fine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-corrupt-'));
    const url = `sqlite://${join(dir, 'papers.db')}`;
    try {
      const writer = await openTestApp({ DATABASE_URL: url }, { now: clock.now });
      await storeDay(writer, '2025-12-18', 1, 300, ['serving']);
      await writer.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      await writer.close();
      damageMiddle(join(dir, 'papers.db'));

      const damaged = await openTestApp({ DATABASE_URL: url }, { now: clock.now });
      const site = await startTestWeb(damaged);
      try {
        expect(await damaged.db.all('SELECT id FROM runs LIMIT 1')).toEqual([]);
        const response = await site.get('/healthz');
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ status: 'error', database: 'corrupt' });
      } finally {
        await site.close();
        await damaged.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN an unreachable database THEN /healthz answers 503', async () => {
    const broken = await openTestApp({}, { now: clock.now });
    const site = await startTestWeb(broken);
    await broken.db.close();
    try {
      const response = await site.get('/healthz');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'error', database: 'unreachable' });
    } finally {
      await site.close();
    }
  });
});

/** Overwrites 32 KiB in the middle of a database file, page-aligned: what a bad disk or a stray write leaves. */
function damageMiddle(path: string): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(32_768, 0x5a), 0, 32_768, Math.floor(size / 2 / 4096) * 4096);
  } finally {
    closeSync(fd);
  }
}
