import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { openApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { recordRun } from '../../src/store/runs.ts';
import { storeClassified, storeDay } from '../helpers/classified.ts';
import { paperRecord } from '../helpers/papers.ts';
import { captureStream, fixedClock, TEST_ENV } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb } from '../helpers/web.ts';

// Friday 2025-12-19 09:30 in Shanghai (DIGEST_TIMEZONE).
const clock = fixedClock('2025-12-19T01:30:00Z');

/** The text of a page without its markup, spaces collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

/** A GET with the path sent as is (`curl --path-as-is`): fetch would normalise it. */
function rawGet(base: string, path: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ hostname, port, path, method: 'GET' }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, type: String(incoming.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * An archive of Monday 2025-12-08, Wednesday 2025-12-10 and Tuesday 2025-12-16, with Tuesday
 * 2025-12-09 fetched as a day without an announcement (a holiday) and Thursday 2025-12-11 never
 * fetched; today is Friday 2025-12-19.
 */
describe('days the archive does not hold', () => {
  let app: App;
  let web: TestWeb;
  const log = captureStream();
  const page = async (path: string) => {
    const response = await web.get(path);
    const html = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), html, text: text(html) };
  };

  beforeAll(async () => {
    const config = loadConfig({ ...TEST_ENV, DIGEST_TIMEZONE: 'Asia/Shanghai' });
    app = await openApp(config, createLogger('debug', log.stream), { now: clock.now });
    await storeDay(app, '2025-12-08', 1, 2, ['serving']);
    await storeDay(app, '2025-12-10', 3, 1, ['MoE']);
    await storeDay(app, '2025-12-16', 4, 1, ['MoE']);
    // A paper without authors (an import from the README can leave them out).
    await storeClassified(app, paperRecord(5, { authors: [] }), '2025-12-16', { tags: ['MoE'] });
    const at = new Date('2025-12-09T12:00:00Z');
    await recordRun(app.db, { kind: 'ingest', day: '2025-12-09', source: 'rss', status: 'empty', startedAt: at, finishedAt: at });
    web = await startTestWeb(app);
  });
  afterAll(async () => {
    await web.close();
    await app.close();
  });

  it.each([
    ['a day still to come', '/day/2030-01-01', '2030-01-01 is still to come: nothing has been announced for it yet.', '2025-12-16'],
    ['a Saturday', '/day/2025-12-13', 'arXiv announces nothing on Saturdays: there is no announcement on 2025-12-13.', '2025-12-10'],
    ['a day before the archive', '/day/2025-12-05', 'The archive starts on 2025-12-08: it holds nothing from 2025-12-05.', '2025-12-08'],
    ['a day fetched without an announcement', '/day/2025-12-09', 'arXiv made no announcement on 2025-12-09 (a holiday).', '2025-12-08'],
    [
      'a weekday never fetched',
      '/day/2025-12-11',
      'The archive holds no announcement of 2025-12-11: an arXiv holiday, or a day that was never fetched.',
      '2025-12-10',
    ],
    ['a weekday after the archive ends', '/day/2025-12-18', 'The archive ends on 2025-12-16: 2025-12-18 has not been fetched yet.', '2025-12-16'],
    ['a date that does not exist', '/day/2025-02-30', '“2025-02-30” is not a day: write days as YYYY-MM-DD.', '2025-12-16'],
    ['a word', '/day/yesterday', '“yesterday” is not a day: write days as YYYY-MM-DD.', '2025-12-16'],
  ])('GIVEN %s THEN 404 says why and links the nearest day with papers', async (_label, path, why, nearest) => {
    const answer = await page(path);
    expect(answer.status).toBe(404);
    expect(answer.text).toContain(why);
    expect(answer.html).toContain(`The nearest day with papers is <a href="/day/${nearest}">${nearest}</a>.`);
    expect(answer.html).toContain('<meta name="robots" content="noindex">');
  });

  it('GIVEN a missing day between two days with papers THEN both are linked, the nearer first in the sentence', async () => {
    const holiday = await page('/day/2025-12-12');
    expect(holiday.html).toContain('The nearest day with papers is <a href="/day/2025-12-10">2025-12-10</a>.');
    expect(holiday.html).toContain('<a rel="prev" href="/day/2025-12-10">← 2025-12-10</a> · <a rel="next" href="/day/2025-12-16">2025-12-16 →</a>');
    const nearerLater = await page('/day/2025-12-15?tag=MoE');
    expect(nearerLater.html).toContain('The nearest day with papers is <a href="/day/2025-12-16?tag=MoE">2025-12-16</a>.');
  });

  it('GIVEN a day the API does not hold THEN 404 JSON with the reason and the nearest day', async () => {
    const response = await web.get('/api/days/2030-01-01');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: '2030-01-01 is still to come: nothing has been announced for it yet.',
      nearest: `${web.url}/api/days/2025-12-16`,
      previous: `${web.url}/api/days/2025-12-16`,
      next: null,
    });
  });

  it('GIVEN a paper without authors THEN its card starts with the day, not a stray dot', async () => {
    const day = await page('/day/2025-12-16');
    expect(day.status).toBe(200);
    expect(day.html).toContain('<p class="meta"><time datetime="2025-12-16">2025-12-16</time></p>');
    expect(day.html).not.toMatch(/<p class="meta">\s*·/);
    expect(day.html).toContain('<p class="meta">Author 4, Grace Hopper · <time datetime="2025-12-16">2025-12-16</time></p>');
  });

  it.each([
    ['//', 404, 'text/html'],
    ['//evil.example/day/2025-12-08', 404, 'text/html'],
    ['///', 404, 'text/html'],
    ['/\\\\evil.example', 404, 'text/html'],
  ])('GIVEN the raw path %j THEN %i without an error in the log', async (path, status, type) => {
    const before = log.text().length;
    const answer = await rawGet(web.url, path);
    expect(answer.status).toBe(status);
    expect(answer.type).toContain(type);
    const logged = log.text().slice(before);
    expect(logged).not.toContain('"level":50');
    expect(logged).not.toContain('request failed');
  });

  it.each([
    ['/api/papers/%ff', 404],
    ['/api/days/%E0%A4%A', 404],
    ['/api/nowhere', 404],
    ['/api', 404],
    ['/api/papers?q=after+9999-12-31', 400],
    ['/api/papers?q=today+OR+yesterday', 400],
  ])('GIVEN GET %s THEN %i as JSON, never a page', async (path, status) => {
    const response = await web.get(path);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as { error: string };
    expect(body.error).toEqual(expect.any(String));
  });

  it.each(['POST', 'DELETE'])('GIVEN %s on the API THEN 405 as JSON', async (method) => {
    const response = await web.get('/api/papers', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(await response.json()).toEqual({ error: 'method not allowed' });
  });
});
