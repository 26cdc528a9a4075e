import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { papersCommand } from '../../commands/papers.ts';
import { runCommand } from '../../commands/run-command.ts';
import type { App } from '../../src/app.ts';
import { formatQuery } from '../../src/domain/describe-query.ts';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { parseQuery } from '../../src/domain/query.ts';
import { decodeSearchCursor, encodeSearchCursor } from '../../src/domain/search-cursor.ts';
import { recordVote } from '../../src/pipeline/apply-vote.ts';
import { newestMatching } from '../../src/store/newest-papers.ts';
import { insertPaper, saveClassification } from '../../src/store/papers.ts';
import { searchPapers } from '../../src/store/search.ts';
import { searchWithDropped } from '../../src/store/search-dropped.ts';
import { commandContext } from '../helpers/command-context.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const clock = fixedClock('2026-01-05T10:00:00Z');
const kept = paperRecord(1, { title: 'Paged attention for LLM serving', abstract: 'A KV cache manager for vLLM.' });
const turnedDown = paperRecord(2, { title: 'Speculative decoding with draft trees', abstract: 'Draft trees for LLM decoding.' });
const dropped = paperRecord(3, { title: 'Tail-latency routing for geo-distributed key-value stores', abstract: 'Replicas across regions cut p99 latency.' });

async function store(app: App, paper: PaperRecord, relevant: boolean, day = '2026-01-02') {
  await app.db.transaction(async (tx) => {
    const stamp = clock.now().toISOString();
    await insertPaper(tx, paper, day, 'api', stamp);
    const verdict = {
      status: 'done' as const,
      relevant,
      tags: relevant ? ['serving'] : [],
      tldr: null,
      model: 'test',
      promptHash: null,
      version: 1,
      error: null,
      attempts: 1,
    };
    await saveClassification(tx, paper.id, verdict, stamp);
  });
}

describe('what search shows of papers the group turned down and the filter dropped', () => {
  let app: App;
  const parse = (text: string) => parseQuery(text, { vocabulary: app.vocabulary, today: '2026-01-05' });
  const ids = async (text: string) => (await searchPapers(app.db, parse(text), { limit: 10, offset: 0 })).papers.map((paper) => paper.id);

  beforeEach(async () => {
    app = await openTestApp({}, { now: clock.now });
    await store(app, kept, true);
    await store(app, turnedDown, true);
    await store(app, dropped, false);
    const vote = (userId: string) =>
      recordVote(
        { db: app.db, now: clock.now, tagsFor: () => [] },
        { platform: 'slack', userId, paperId: turnedDown.id, value: 'not-relevant', source: 'digest' },
      );
    await vote('U1');
    await vote('U2');
  });
  afterEach(() => app.close());

  it('GIVEN a paper the group marked not relevant THEN search and feeds leave it out, with or without words', async () => {
    expect(await ids('serving')).toEqual([kept.id]);
    expect(await ids('decoding')).toEqual([]);
    expect(await ids('')).toEqual([kept.id]);
    expect((await newestMatching(app.db, parse(''), 10)).map((paper) => paper.id)).toEqual([kept.id]);
    expect((await newestMatching(app.db, parse('decoding'), 10)).map((paper) => paper.id)).toEqual([]);
  });

  it('GIVEN include:dropped THEN the turned-down and the dropped papers are found too, by words and without', async () => {
    expect((await ids('include:dropped')).sort()).toEqual([kept.id, turnedDown.id, dropped.id].sort());
    expect(await ids('decoding include:dropped')).toEqual([turnedDown.id]);
    expect(await ids('replicas INCLUDE:Dropped')).toEqual([dropped.id]);
    expect(await ids('replicas -regions include:dropped')).toEqual([]);
    // `serving` is a tag: the dropped paper has none.
    expect((await ids('serving include:dropped')).sort()).toEqual([kept.id, turnedDown.id].sort());
  });

  it('GIVEN /papers … include:dropped THEN each paper outside the archive’s relevant ones says why', async () => {
    const reply = await runCommand(papersCommand, commandContext(app), { text: 'include:dropped' });
    const standing = Object.fromEntries((reply.papers ?? []).map((paper) => [paper.id, paper.standing ?? 'kept']));
    expect(standing).toEqual({ [kept.id]: 'kept', [turnedDown.id]: 'rejected', [dropped.id]: 'dropped' });
    expect(reply.text).toMatch(/including those the filter dropped or the group turned down/);
  });

  it('GIVEN more candidates than the window THEN only the newest are searched by words, and the page says so', async () => {
    const filters = { sql: "c.status = 'done'", params: [] };
    // The kept paper is the oldest of the three.
    const found = await searchWithDropped(app.db, { fts: '"paged"', bm25: 'bm25(papers_fts)', filters }, { limit: 10, offset: 0 }, 2);
    expect(found).toEqual({ rows: [], window: { newestSearched: 2 } });
    const all = await searchWithDropped(app.db, { fts: '"paged"', bm25: 'bm25(papers_fts)', filters }, { limit: 10, offset: 0 }, 4);
    expect(all.rows.map((row) => row.id)).toEqual([kept.id]);
    expect(all.window).toBeUndefined();
  });
});

describe('include:dropped in the query language', () => {
  let app: App;
  beforeEach(async () => {
    app = await openTestApp({}, { now: clock.now });
  });
  afterEach(() => app.close());
  const parse = (text: string) => parseQuery(text, { vocabulary: app.vocabulary, today: '2026-01-05' });

  it('GIVEN include:dropped THEN it is an option of the search, written back and carried by the next page’s cursor', () => {
    const query = parse('kv cache include:dropped last week');
    expect(query).toMatchObject({ words: ['kv', 'cache'], includeDropped: true });
    expect(parse('kv cache').includeDropped).toBeUndefined();
    expect({ ...parse(formatQuery(query)), rangeLabel: null }).toEqual({ ...query, rangeLabel: null });
    const cursor = decodeSearchCursor(encodeSearchCursor({ query, offset: 8, maxPk: 9 }), app.vocabulary);
    expect(cursor.query).toEqual(query);
    expect(decodeSearchCursor(encodeSearchCursor({ query: parse('kv'), offset: 8, maxPk: 9 }), app.vocabulary).query.includeDropped).toBeUndefined();
  });

  it.each([
    ['include:everything', '`include:` takes one value, `dropped`'],
    ['MoE OR include:dropped', 'OR joins tags, words, "phrases" and authors; `include:dropped` applies to the whole search.'],
  ])('GIVEN %j THEN a plain mistake', (text, message) => {
    expect(() => parse(text)).toThrow(message);
  });
});
