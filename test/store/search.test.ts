import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { parseQuery, type Query } from '../../src/domain/query.ts';
import { importReadme } from '../../src/pipeline/import-readme.ts';
import { newestMatching } from '../../src/store/newest-papers.ts';
import { insertPaper, reindex, saveClassification } from '../../src/store/papers.ts';
import { DEFAULT_TUNING, ftsMatch, ftsPhrase, newestPaperPk, type SearchTuning, searchPapers } from '../../src/store/search.ts';
import { FTS_TOKENIZER } from '../../src/store/text-match.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const seed = readFileSync(new URL('../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');

function record(id: string, title: string, abstract: string, authors: string[] = []): PaperRecord {
  return paperRecord(0, { id, title, abstract, authors });
}

/** Stores a classified paper the way ingest + classification would. */
async function storePaper(app: App, paper: PaperRecord, day: string, relevant: boolean, tags: string[], tldr: string | null = null) {
  await app.db.transaction(async (tx) => {
    const stamp = clock.now().toISOString();
    await insertPaper(tx, paper, day, 'api', stamp);
    await saveClassification(
      tx,
      paper.id,
      { status: 'done', relevant, tags, tldr, model: 'test', promptHash: null, version: 1, error: null, attempts: 1 },
      stamp,
    );
    await reindex(tx, paper.id);
  });
}

describe('searchPapers over the imported seed archive', () => {
  let app: App;
  const search = async (text: string, limit = 10, offset = 0) => {
    const query = parseQuery(text, { vocabulary: app.vocabulary, today: '2025-12-19' });
    return searchPapers(app.db, query, { limit, offset });
  };
  const ids = async (text: string, limit = 10) => (await search(text, limit)).papers.map((paper) => paper.id);

  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    await storePaper(
      app,
      record('2512.99001', 'Speculative decoding for MoE serving at scale', 'We decode many tokens per step.', ['Song Han', 'Ji Lin']),
      '2025-12-18',
      false,
      [],
    );
    await storePaper(
      app,
      record('2512.99002', 'Serving Diffusion Transformers with Déjà Vu Caches', 'A cache for diffusion serving.', ['Zoë Müller', 'A. Song', 'Han B.']),
      '2025-12-18',
      true,
      ['diffusion', 'serving'],
    );
  });
  afterAll(() => app.close());

  it('GIVEN /papers MoE offloading 2025-12 THEN the seed’s MoE+offloading papers of December 2025 come back, newest first', async () => {
    expect(await ids('MoE offloading 2025-12')).toEqual(['2512.16473', '2512.09277', '2512.03927']);
  });

  it('GIVEN words THEN the best BM25 match comes first (title counts most)', async () => {
    const found = await ids('MoE prefetching');
    expect(found[0]).toBe('2510.10302'); // SP-MoE: Speculative Decoding and Prefetching …
    expect(found).toContain('2511.14102'); // MoE-SpeQ: … Expert Prefetching …
  });

  it('GIVEN a quoted phrase THEN only papers with the words in that order match', async () => {
    const found = await ids('"speculative decoding" MoE');
    expect(found).toEqual(['2510.10302']);
  });

  it('GIVEN a word THEN stemming finds its other forms, case-insensitively', async () => {
    const titles = (await search('DECODE', 50)).papers.map((paper) => paper.title.toLowerCase());
    expect(titles.some((title) => title.includes('decoding'))).toBe(true);
    expect(titles.some((title) => title.includes('decode'))).toBe(true);
  });

  it('GIVEN a paper judged irrelevant THEN it is not in the full-text index and search never returns it, though its text matches', async () => {
    const indexed = await app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM papers_fts WHERE papers_fts MATCH ?', ['"many tokens per step"']);
    expect(indexed?.n).toBe(0);
    expect(await ids('"many tokens per step"')).toEqual([]);
  });

  it('GIVEN diacritics THEN they match their plain letters', async () => {
    expect(await ids('deja vu')).toEqual(['2512.99002']);
  });

  it('GIVEN author: THEN the name matches the authors column only', async () => {
    expect(await ids('author:Müller')).toEqual(['2512.99002']);
    expect(await ids('author:muller diffusion')).toEqual(['2512.99002']);
    expect(await ids('author:"Zoe Muller"')).toEqual(['2512.99002']);
    expect(await ids('author:Turing')).toEqual([]);
  });

  it('GIVEN -tag THEN papers with that tag are excluded; -"word" excludes text', async () => {
    const withoutTag = await ids('MoE -offloading 2025-12', 50);
    expect(withoutTag).not.toContain('2512.16473');
    expect(withoutTag).not.toContain('2512.09277');
    expect(withoutTag.length).toBeGreaterThan(0);
    const withoutText = await ids('MoE -"offloading" 2025-12', 50);
    expect(withoutText).not.toContain('2512.16473'); // its TL;DR says offloading
    expect(withoutText).toContain('2512.09277'); // tagged offloading, but the word is not in its text
  });

  it('GIVEN tags joined by OR THEN papers with either tag come back, newest first, each once', async () => {
    const union = new Set([...(await ids('MoE 2025-12', 100)), ...(await ids('diffusion 2025-12', 100))]);
    const either = (await search('MoE OR diffusion 2025-12', 100)).papers;
    expect(new Set(either.map((paper) => paper.id))).toEqual(union);
    expect(either).toHaveLength(union.size);
    expect(either.map((paper) => paper.announcedOn)).toEqual(
      either
        .map((paper) => paper.announcedOn)
        .sort()
        .reverse(),
    );
    expect(union.size).toBeGreaterThan((await ids('MoE 2025-12', 100)).length);
  });

  it('GIVEN words, phrases, tags and authors joined by OR THEN a paper needs one of them, and the rest of the query still holds', async () => {
    const union = async (...texts: string[]) => new Set((await Promise.all(texts.map((text) => ids(text, 100)))).flat());
    expect(new Set(await ids('"speculative decoding" OR prefetching', 100))).toEqual(await union('"speculative decoding"', 'prefetching'));
    expect(new Set(await ids('"deja vu" OR MoE 2025-12', 100))).toEqual(await union('"deja vu" 2025-12', 'MoE 2025-12'));
    expect(await ids('author:Müller OR author:Turing')).toEqual(['2512.99002']);
    expect(await ids('serving author:Müller OR author:Turing')).toEqual(['2512.99002']);
    expect(await ids('MoE author:Müller OR author:Turing')).toEqual([]);
    // OR binds tighter than the implicit AND: "MoE prefetching OR expert" is MoE AND (prefetching OR expert).
    const tight = await ids('MoE prefetching OR offload', 100);
    expect(new Set(tight)).toEqual(await union('MoE prefetching', 'MoE offload'));
  });

  it('GIVEN -author: THEN papers listing that author are left out, not papers that only mention the name', async () => {
    await storePaper(app, record('2512.99005', 'Han-style routing for diffusion serving', 'Diffusion serving.', ['Q. Li']), '2025-12-18', true, ['diffusion']);
    expect(await ids('"diffusion serving" 2025-12-18')).toEqual(expect.arrayContaining(['2512.99002', '2512.99005']));
    const withoutHan = await ids('"diffusion serving" 2025-12-18 -author:Han');
    expect(withoutHan).not.toContain('2512.99002');
    expect(withoutHan).toContain('2512.99005');
    // Without text to match, the exclusion is checked against the index all the same.
    expect(await ids('diffusion 2025-12-18')).toEqual(expect.arrayContaining(['2512.99002', '2512.99005']));
    expect(await ids('diffusion 2025-12-18 -author:Han')).toEqual(['2512.99005']);
  });

  it('GIVEN -tag:MoE THEN it excludes the tag as -MoE does, not papers that only say MoE', async () => {
    await storePaper(app, record('2512.99006', 'Expert offloading without MoE tags', 'We compare with MoE offloading.'), '2025-12-18', true, ['offloading']);
    const prefixed = await ids('offloading -tag:MoE 2025-12', 100);
    expect(prefixed).toEqual(await ids('offloading -MoE 2025-12', 100));
    expect(prefixed).toContain('2512.99006');
    expect(prefixed).not.toContain('2512.16473');
  });

  it('GIVEN an OR in a feed THEN the newest papers matching either side come back', async () => {
    const query = parseQuery('MoE OR "deja vu"', { vocabulary: app.vocabulary, today: '2025-12-19' });
    const papers = await newestMatching(app.db, query, 200);
    expect(papers.map((paper) => paper.id)).toContain('2512.99002');
    expect(papers.every((paper) => paper.classification.tags.includes('MoE') || paper.id === '2512.99002')).toBe(true);
    expect(papers.length).toBe((await ids('MoE', 200)).length + 1);
  });

  it('GIVEN only a date THEN it lists that announcement day, newest first without ranking', async () => {
    const page = await search('2025-12-17', 50);
    expect(page.papers.map((paper) => paper.announcedOn)).toEqual(Array(4).fill('2025-12-17'));
  });

  it('GIVEN more results than a page THEN pages follow on and say whether more remain', async () => {
    const first = await search('serving', 8);
    const second = await search('serving', 8, 8);
    expect(first.papers).toHaveLength(8);
    expect(first.hasMore).toBe(true);
    expect(second.papers[0]?.id).not.toBe(first.papers[0]?.id);
    expect(new Set([...first.papers, ...second.papers].map((paper) => paper.id)).size).toBe(16);
    expect((await search('MoE offloading 2025-12', 3)).hasMore).toBe(false);
  });

  it('GIVEN a pinned newest paper THEN papers stored after the first page do not shift later pages', async () => {
    const maxPk = await newestPaperPk(app.db);
    const query = parseQuery('diffusion serving', { vocabulary: app.vocabulary, today: '2025-12-19' });
    const before = await searchPapers(app.db, query, { limit: 50, offset: 0, maxPk });
    await storePaper(app, record('2512.99003', 'Diffusion serving, again', 'More diffusion serving.'), '2025-12-19', true, ['diffusion', 'serving']);
    const after = await searchPapers(app.db, query, { limit: 50, offset: 0, maxPk });
    expect(after.papers.map((paper) => paper.id)).toEqual(before.papers.map((paper) => paper.id));
    const unpinned = await searchPapers(app.db, query, { limit: 50, offset: 0 });
    expect(unpinned.papers.map((paper) => paper.id)).toContain('2512.99003');
  });

  it.each([
    '"unbalanced quote',
    'NEAR(kv cache, 5) OR prefill*',
    '(kv AND cache) NOT prefill',
    "'; DROP TABLE papers; --",
    'title:kv ^cache {abstract}: x',
    '-"" - -- ---',
    '"" "" author:"" ',
    '🚀🔥 kv',
    'kv\u0000cache\u001b[2J',
    'ｋｖ ｃａｃｈｅ',
    `${'a" OR "b '.repeat(40)}`.slice(0, 480),
  ])('GIVEN the hostile query %j THEN the search answers without an error', async (text) => {
    let result: unknown;
    try {
      result = await search(text);
    } catch (error) {
      // Only a UserError (a message for the person) is acceptable, never an SQLite error.
      expect((error as Error).name).toBe('UserError');
      return;
    }
    expect(result).toHaveProperty('papers');
    expect((await app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM papers'))?.n).toBeGreaterThan(847);
  });

  it('GIVEN a paper tagged serving whose text never says so THEN the tag finds it and the word does not', async () => {
    await storePaper(app, record('2512.99004', 'Paged attention, revisited', 'Block tables for GPUs.'), '2025-12-19', true, ['serving', 'kernel']);
    expect(await ids('serving kernel paged attention')).toEqual(['2512.99004']);
    expect(await ids('"serving" paged attention')).toEqual([]);
    expect(await ids('paged attention -kernel')).not.toContain('2512.99004');
    expect(await ids('kernel paged attention -serving')).toEqual([]);
  });

  it('GIVEN the archive schema THEN keyword matching uses the very tokenizer of the search index', async () => {
    const row = await app.db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'");
    expect(row?.sql).toContain(`tokenize = '${FTS_TOKENIZER}'`);
  });
});

describe('a query without dates that matches more papers than can be ranked quickly', () => {
  let app: App;
  const broad: SearchTuning = { ...DEFAULT_TUNING, broad: 5 };
  const parse = (text: string) => parseQuery(text, { vocabulary: app.vocabulary, today: '2025-12-19' });
  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
  });
  afterAll(() => app.close());

  /** The announcement days of every match of the words, newest first, from a plain query. */
  async function matchDays(words: string): Promise<string[]> {
    const rows = await app.db.all<{ day: string }>(
      `SELECT p.announced_on AS day FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid WHERE papers_fts MATCH ? ORDER BY p.announced_on DESC`,
      [ftsPhrase(words)],
    );
    return rows.map((row) => row.day);
  }

  it('GIVEN more matches than the limit THEN the search starts on the day of the newest matches up to the limit, and says so', async () => {
    const days = await matchDays('gpu');
    expect(days.length).toBeGreaterThan(20);
    const from = days[5] as string;
    const page = await searchPapers(app.db, parse('gpu'), { limit: 50, offset: 0 }, broad);
    expect(page.narrowed).toBe(true);
    expect(page.query.range).toEqual({ from, to: null });
    expect(page.papers.map((paper) => paper.id)).toEqual(await reference(app, page.query, 50, 0));
    expect(page.papers.length).toBe(days.filter((day) => day >= from).length);
    expect(page.papers.length).toBeLessThan(days.length);
  });

  it('GIVEN any date in the query THEN it is ranked whole, however many papers match', async () => {
    const query = parse('gpu since 2020-01-01');
    const page = await searchPapers(app.db, query, { limit: 500, offset: 0 }, broad);
    expect(page).toMatchObject({ narrowed: false, query });
    expect(page.papers.length).toBe((await matchDays('gpu')).length);
  });

  it('GIVEN no more matches than the limit THEN the query is searched as given', async () => {
    const query = parse('MoE prefetching');
    const page = await searchPapers(app.db, query, { limit: 50, offset: 0 }, { ...DEFAULT_TUNING, broad: 50 });
    expect(page).toMatchObject({ narrowed: false, query });
  });

  it('GIVEN the limit falls on the oldest match THEN nothing would be left out, and the query is searched as given', async () => {
    const days = await matchDays('gpu');
    const query = parse('gpu');
    const page = await searchPapers(app.db, query, { limit: 8, offset: 0 }, { ...DEFAULT_TUNING, broad: days.length - 1 });
    expect(page).toMatchObject({ narrowed: false, query });
  });

  it('GIVEN a later page (a cursor) THEN it is never narrowed afresh: it carries what the first page searched', async () => {
    const query = parse('gpu');
    expect(await searchPapers(app.db, query, { limit: 8, offset: 8 }, broad)).toMatchObject({ narrowed: false, query });
  });

  it('GIVEN tags with the words THEN only matches carrying the tags count towards the limit', async () => {
    const tagged = await app.db.all<{ day: string }>(
      `SELECT p.announced_on AS day FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
       WHERE papers_fts MATCH '"gpu"' AND EXISTS (SELECT 1 FROM paper_tags t WHERE t.paper_id = p.id AND t.tag = 'MoE') ORDER BY p.announced_on DESC`,
    );
    const limit = 3;
    expect(tagged.length).toBeGreaterThan(limit + 1);
    expect(tagged[limit]?.day).not.toBe(tagged.at(-1)?.day); // some match is older than the day found
    const page = await searchPapers(app.db, parse('MoE gpu'), { limit: 50, offset: 0 }, { ...DEFAULT_TUNING, broad: limit });
    expect(page.query.range?.from).toBe(tagged[limit]?.day);
  });
});

describe('a broad query over an archive whose rows are not in day order', () => {
  let app: App;
  const parse = (text: string) => parseQuery(text, { vocabulary: app.vocabulary, today: '2025-12-22' });
  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    // GPU papers of 2025-12-22 stored first (a few, then many), then the seed's older days after them.
    for (let number = 1; number <= RECENT; number++) {
      const id = `2512.97${String(number).padStart(3, '0')}`;
      await storePaper(app, record(id, `GPU kernels ${number}`, 'A gpu paper.'), number <= 2 ? '2025-12-21' : '2025-12-22', true, ['kernel']);
    }
    await importReadme(app.db, seed, app.vocabulary, clock.now);
  });
  afterAll(() => app.close());
  const RECENT = 30;

  it('GIVEN old days backfilled after the newest THEN the newest rows point at a day that keeps a few papers, and the query is ranked whole', async () => {
    const backfilled = await openTestApp({}, { now: clock.now });
    try {
      await importReadme(backfilled.db, seed, backfilled.vocabulary, clock.now);
      for (const number of [1, 2])
        await storePaper(backfilled, record(`2512.9800${number}`, `GPU serving ${number}`, 'A gpu paper.'), '2025-12-22', true, ['serving']);
      for (let number = 1; number <= 40; number++) {
        await storePaper(backfilled, record(`2406.97${String(number).padStart(3, '0')}`, `GPU backfill ${number}`, 'A gpu paper.'), '2024-06-03', true, [
          'kernel',
        ]);
      }
      const query = parseQuery('gpu', { vocabulary: backfilled.vocabulary, today: '2025-12-22' });
      // The 42nd newest row is a 2025-12-22 paper: "since 2025-12-22" would keep 2 of them all.
      const page = await searchPapers(backfilled.db, query, { limit: 1000, offset: 0 }, { ...DEFAULT_TUNING, broad: 41 });
      expect(page).toMatchObject({ narrowed: false, query });
      expect(page.papers.map((paper) => paper.id)).toEqual(await reference(backfilled, query, 1000, 0));
    } finally {
      await backfilled.close();
    }
  });

  it('GIVEN a day that keeps enough but whose rows start almost first THEN the bound would prune almost nothing, and the query is ranked whole', async () => {
    const query = parse('gpu');
    const all = await reference(app, query, 1000, 0);
    // "since 2025-12-22" keeps 28 papers, over a tenth of the limit, but its rows start at the third: 2 matches pruned.
    const broad = all.length - 3;
    expect(RECENT - 2).toBeGreaterThanOrEqual(Math.ceil(broad / 10));
    expect(await searchPapers(app.db, query, { limit: 8, offset: 0 }, { ...DEFAULT_TUNING, broad })).toMatchObject({ narrowed: false, query });
  });

  it('GIVEN dates THEN their bounds hold every row of their days however the rows interleave', async () => {
    for (const text of ['gpu since 2025-12-01', 'gpu before 2025-12-20', 'gpu 2025-12-15..2025-12-22', 'kernel gpu 2025-12-22', 'gpu 2025-12-20']) {
      const dated = parse(text);
      const found = await searchPapers(app.db, dated, { limit: 1000, offset: 0 });
      expect(
        found.papers.map((paper) => paper.id),
        text,
      ).toEqual(await reference(app, dated, 1000, 0));
    }
    expect((await searchPapers(app.db, parse('kernel gpu 2025-12-22'), { limit: 50, offset: 0 })).papers).toHaveLength(RECENT - 2);
    expect((await searchPapers(app.db, parse('gpu 2025-12-20'), { limit: 50, offset: 0 })).papers).toEqual([]);
  });
});

/** The plain query the ranked search must agree with: join everything, filter, sort, page. */
async function reference(app: App, query: Query, limit: number, offset: number): Promise<string[]> {
  const match = ftsMatch(query);
  const where = ['papers_fts MATCH ?', 'c.relevant = 1'];
  const excluded = [...query.excluded.map(ftsPhrase), ...query.excludedAuthors.map((author) => `authors : ${ftsPhrase(author)}`)];
  const params: (string | number)[] = [excluded.length ? `(${match}) NOT (${excluded.join(' OR ')})` : (match as string)];
  if (query.range?.from) where.push(`p.announced_on >= '${query.range.from}'`);
  if (query.range?.to) where.push(`p.announced_on <= '${query.range.to}'`);
  for (const tag of query.tags) where.push(`EXISTS (SELECT 1 FROM paper_tags t WHERE t.tag = '${tag}' AND t.paper_id = p.id)`);
  for (const tag of query.excludedTags) where.push(`NOT EXISTS (SELECT 1 FROM paper_tags t WHERE t.tag = '${tag}' AND t.paper_id = p.id)`);
  for (const group of query.anyOf.filter((alternatives) => alternatives.every((alternative) => alternative.kind === 'tag'))) {
    where.push(`EXISTS (SELECT 1 FROM paper_tags t WHERE t.tag IN (${group.map((alternative) => `'${alternative.value}'`).join(', ')}) AND t.paper_id = p.id)`);
  }
  const rows = await app.db.all<{ id: string }>(
    `SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid JOIN classifications c ON c.paper_id = p.id
     WHERE ${where.join(' AND ')} ORDER BY bm25(papers_fts, 10.0, 1.0, 3.0, 2.0, 0.0), p.announced_on DESC, p.pk DESC LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  return rows.map((row) => row.id);
}

describe('ranked text search agrees with the plain query on every path', () => {
  let app: App;
  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    // Irrelevant papers in the index, as ingest leaves them: candidates that the filters must drop.
    for (let index = 0; index < 30; index++) {
      await storePaper(
        app,
        record(`2512.98${String(index).padStart(3, '0')}`, `KV cache serving memory GPU ${index}`, 'Expert offloading.'),
        '2025-12-18',
        false,
        [],
      );
    }
  });
  afterAll(() => app.close());

  const tunings: [string, SearchTuning][] = [
    ['the defaults', DEFAULT_TUNING],
    ['too few candidates (ranks the date range instead)', { candidates: 6, broad: DEFAULT_TUNING.broad }],
    ['a few candidates', { candidates: 60, broad: DEFAULT_TUNING.broad }],
    ['every query broad (narrowed to recent days)', { candidates: 1000, broad: 5 }],
    ['broad and too few candidates', { candidates: 6, broad: 5 }],
  ];
  const queries = [
    'kv cache',
    'serving memory',
    'MoE expert',
    '"speculative decoding"',
    'expert offloading -"cpu"',
    'training 2025-12 gpu',
    'inference since 2025-10-01 scheduling',
    'video streaming',
    'serving -kernel latency',
    'edge llm',
    'gpu',
    'kv cache OR offloading',
    '"speculative decoding" OR prefill serving',
    'MoE OR training gpu',
    'memory -author:Zhang',
  ];
  it.each(tunings)('GIVEN %s THEN three pages of every query equal the plain query', async (_label, tuning) => {
    for (const text of queries) {
      const query = parseQuery(text, { vocabulary: app.vocabulary, today: '2025-12-19' });
      expect(ftsMatch(query), `${text} must have text to rank`).not.toBeNull();
      let searched = query;
      for (const offset of [0, 8, 16]) {
        // Later pages search what the first page searched, as a cursor carries it.
        const page = await searchPapers(app.db, searched, { limit: 8, offset }, tuning);
        if (offset === 0) searched = page.query;
        expect(page.query).toBe(searched);
        const expected = await reference(app, searched, 9, offset);
        expect({ text, offset, ids: page.papers.map((paper) => paper.id), hasMore: page.hasMore }).toEqual({
          text,
          offset,
          ids: expected.slice(0, 8),
          hasMore: expected.length > 8,
        });
      }
    }
  });
});
