import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { daysToCatchUp, ingestDay, ingestDays } from '../../src/pipeline/ingest.ts';
import { getPaper, getVersions, papersAnnouncedOn } from '../../src/store/papers.ts';
import { recentRuns } from '../../src/store/runs.ts';
import { FakeArxiv } from '../fakes/arxiv-server.ts';
import { syntheticEntry } from '../fakes/atom.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const dayFeed = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');
const holidayFeed = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-25-holiday.xml', import.meta.url), 'utf8');

/** Thursday 2025-12-18, 10:00 in New York: the feed carries the 18th. */
const THURSDAY = '2025-12-18T15:00:00Z';

async function tableCounts(app: App) {
  const row = await app.db.get<Record<string, number>>(
    `SELECT (SELECT COUNT(*) FROM papers) AS papers, (SELECT COUNT(*) FROM paper_versions) AS versions,
       (SELECT COUNT(*) FROM announcements) AS announcements, (SELECT COUNT(*) FROM classifications) AS classifications,
       (SELECT COUNT(*) FROM papers_fts) AS fts`,
  );
  return row;
}

describe('ingest', () => {
  let fake: FakeArxiv;
  let app: App;
  const clock = fixedClock(THURSDAY);

  beforeEach(async () => {
    fake = await FakeArxiv.start();
    fake.rss = dayFeed;
    clock.set(THURSDAY);
    app = await openTestApp({ ARXIV_RSS_URL: fake.rssUrl, ARXIV_API_URL: fake.apiUrl, ARXIV_PAGE_SIZE: '500' }, { now: clock.now });
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  it('GIVEN the day’s RSS feed THEN new and cross papers are stored pending, unknown replacements and broken items skipped', async () => {
    const outcome = await ingestDay(app.ingest, '2025-12-18');
    expect(outcome).toMatchObject({ day: '2025-12-18', source: 'rss', status: 'ok', fetched: 7, new: 4, updated: 0, unchanged: 0, skipped: 3 });
    expect(fake.requests.map((request) => request.url.pathname)).toEqual(['/rss/cs.DC+cs.OS+cs.LG']);
    const listed = await papersAnnouncedOn(app.db, '2025-12-18');
    expect(listed.map((item) => [item.paper.id, item.announceType])).toEqual([
      ['2512.16001', 'cross'],
      ['2512.16100', 'new'],
      ['2512.16391', 'new'],
      ['2512.16473', 'new'],
    ]);
    expect(listed.every((item) => item.paper.classification.status === 'pending')).toBe(true);
    expect(await getPaper(app.db, '2501.09999')).toBeNull();
  });

  it('GIVEN the same day ingested twice THEN the second run changes nothing', async () => {
    await ingestDay(app.ingest, '2025-12-18');
    const before = await tableCounts(app);
    const again = await ingestDay(app.ingest, '2025-12-18');
    expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 4 });
    expect(await tableCounts(app)).toEqual(before);
  });

  it('GIVEN a v2 replacement of a known paper THEN the paper keeps one row and the new version', async () => {
    fake.corpus = [syntheticEntry(1, '2025-12-16T10:00:00Z', { id: '2512.10001', title: 'Lotus: Disaggregated Locks', categories: ['cs.DC'] })];
    await ingestDay(app.ingest, '2025-12-17');
    await app.db.run("UPDATE classifications SET status = 'done', relevant = 1, tags = '[\"storage\"]' WHERE paper_id = '2512.10001'");

    const outcome = await ingestDay(app.ingest, '2025-12-18');

    expect(outcome.updated).toBe(1);
    const paper = await getPaper(app.db, '2512.10001');
    expect(paper).toMatchObject({ version: 2, title: 'Lotus: Optimizing Disaggregated Transactions with Disaggregated Locks', announcedOn: '2025-12-17' });
    expect(paper?.classification).toMatchObject({ status: 'pending', relevant: true, tags: ['storage'] });
    expect((await getVersions(app.db, '2512.10001')).map((version) => [version.version, version.announcedOn, version.announceType])).toEqual([
      [1, '2025-12-17', 'new'],
      [2, '2025-12-18', 'replace'],
    ]);
    expect((await app.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM papers WHERE id = '2512.10001'"))?.n).toBe(1);
  });

  it('GIVEN a past day THEN the export API is paged through its submission window, cross-lists told apart by primary category', async () => {
    const window = { from: Date.parse('2025-12-15T19:00:00Z'), to: Date.parse('2025-12-16T19:00:00Z') };
    fake.corpus = Array.from({ length: 1200 }, (_, index) =>
      syntheticEntry(index, new Date(window.from + index * 60_000).toISOString(), index % 4 === 0 ? { categories: ['cs.CL', 'cs.LG'] } : {}),
    );
    fake.corpus.push(syntheticEntry(5000, '2025-12-16T19:00:00Z'), syntheticEntry(5001, '2025-12-15T18:59:00Z'));

    const outcome = await ingestDay(app.ingest, '2025-12-17');

    expect(outcome).toMatchObject({ source: 'api', status: 'ok', new: 1200, fetched: 1200 });
    const queries = fake.requests.map((request) => [request.url.searchParams.get('sortBy'), request.url.searchParams.get('start')]);
    expect(queries).toEqual([
      ['submittedDate', '0'],
      ['submittedDate', '500'],
      ['submittedDate', '1000'],
      ['lastUpdatedDate', '0'],
      ['lastUpdatedDate', '500'],
      ['lastUpdatedDate', '1000'],
    ]);
    const types = (await papersAnnouncedOn(app.db, '2025-12-17')).map((item) => item.announceType);
    expect(types.filter((type) => type === 'cross')).toHaveLength(300);
  });

  it('GIVEN an empty holiday feed THEN the day is recorded as empty, not as an error', async () => {
    fake.rss = holidayFeed;
    clock.set('2025-12-25T15:00:00Z');
    const outcome = await ingestDay(app.ingest, '2025-12-25');
    expect(outcome).toMatchObject({ status: 'empty', source: 'rss', new: 0 });
    expect((await recentRuns(app.db, 1))[0]).toMatchObject({ kind: 'ingest', day: '2025-12-25', status: 'empty' });
  });

  it('GIVEN a Saturday THEN nothing is fetched and the day is recorded as empty', async () => {
    const outcome = await ingestDay(app.ingest, '2025-12-20');
    expect(outcome).toMatchObject({ status: 'empty', source: 'calendar', note: 'arXiv announces nothing on Saturday' });
    expect(fake.requests).toHaveLength(0);
  });

  it('GIVEN a truncated feed THEN the run fails with a clear message and writes nothing', async () => {
    fake.rss = dayFeed.slice(0, Math.floor(dayFeed.length * 0.6));
    const outcome = await ingestDay(app.ingest, '2025-12-18');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/not well-formed XML/);
    expect(await tableCounts(app)).toEqual({ papers: 0, versions: 0, announcements: 0, classifications: 0, fts: 0 });
    expect((await recentRuns(app.db, 1))[0]).toMatchObject({ status: 'failed', day: '2025-12-18' });
  });

  it('GIVEN a 429 then success THEN the day ingests after honouring Retry-After', async () => {
    fake.script('rss', { status: 429, headers: { 'retry-after': '0' } });
    expect(await ingestDay(app.ingest, '2025-12-18')).toMatchObject({ status: 'ok', new: 4 });
    expect(fake.requests).toHaveLength(2);
  });

  it('GIVEN a 503 storm that outlasts the retries THEN the run fails and nothing partial is stored', async () => {
    fake.corpus = [syntheticEntry(1, '2025-12-16T10:00:00Z')];
    // The submitted-date query succeeds; the storm hits the updated-date query after it.
    fake.script('api', { pass: true }, ...Array.from({ length: 3 }, () => ({ status: 503 })));
    const outcome = await ingestDay(app.ingest, '2025-12-17');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/HTTP 503/);
    expect((await tableCounts(app))?.papers).toBe(0);
  });

  it('GIVEN an RSS feed that is still yesterday’s THEN today comes from the export API instead', async () => {
    clock.set('2025-12-19T06:00:00Z');
    fake.corpus = [syntheticEntry(1, '2025-12-17T20:00:00Z')];
    const outcome = await ingestDay(app.ingest, '2025-12-19');
    expect(outcome).toMatchObject({ source: 'api', new: 1 });
  });

  it('GIVEN the last completed day was Monday and it is now Thursday THEN catch-up ingests Tuesday to Thursday in order', async () => {
    fake.rss = holidayFeed;
    clock.set('2025-12-15T15:00:00Z');
    fake.corpus = [];
    await ingestDays(app.ingest, ['2025-12-15']);
    clock.set(THURSDAY);
    fake.rss = dayFeed;

    const days = await daysToCatchUp(app.ingest, 7);
    const outcomes = await ingestDays(app.ingest, days);

    expect(days).toEqual(['2025-12-16', '2025-12-17', '2025-12-18']);
    expect(outcomes.map((outcome) => [outcome.day, outcome.source])).toEqual([
      ['2025-12-16', 'api'],
      ['2025-12-17', 'api'],
      ['2025-12-18', 'rss'],
    ]);
    expect(await daysToCatchUp(app.ingest, 7)).toEqual([]);
  });

  it('GIVEN a fresh archive THEN catch-up starts from the latest announcement alone', async () => {
    expect(await daysToCatchUp(app.ingest, 7)).toEqual(['2025-12-18']);
  });

  it('GIVEN a long outage THEN catch-up is bounded by the maximum look-back', async () => {
    clock.set('2025-11-03T15:00:00Z');
    fake.rss = holidayFeed;
    await ingestDays(app.ingest, ['2025-11-03']);
    clock.set(THURSDAY);
    expect(await daysToCatchUp(app.ingest, 7)).toEqual(['2025-12-12', '2025-12-15', '2025-12-16', '2025-12-17', '2025-12-18']);
  });

  it('GIVEN a failing day in a range THEN the days after it are not attempted', async () => {
    fake.script('api', ...Array.from({ length: 3 }, () => ({ status: 500 })));
    const outcomes = await ingestDays(app.ingest, ['2025-12-16', '2025-12-17']);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed']);
  });
});
