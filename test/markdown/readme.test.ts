import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { parseReadme } from '../../src/markdown/parse-readme.ts';
import { renderReadme } from '../../src/markdown/render-readme.ts';
import { repairMojibake } from '../../src/markdown/repair-mojibake.ts';
import { importReadme } from '../../src/pipeline/import-readme.ts';
import { getPaper, relevantPapersBetween } from '../../src/store/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const seed = readFileSync(new URL('../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T00:00:00Z');

describe('repairMojibake', () => {
  it.each([
    ['2.1Ã— higher', '2.1× higher'],
    ['FlashAttention-3 â€” fast', 'FlashAttention-3 — fast'],
    ['itâ€™s', 'it’s'],
    ['ðŸ”–TAGS', '🔖TAGS'],
    ['café naïve — × already fine', 'café naïve — × already fine'],
    ['ðŸ‘Conference', 'ðŸ‘Conference'],
  ])('GIVEN %j THEN it reads %j', (broken, repaired) => {
    expect(repairMojibake(broken)).toBe(repaired);
  });
});

describe('parseReadme', () => {
  const { entries, problems } = parseReadme(seed);

  it('GIVEN the seed THEN it finds 854 entries and no problems', () => {
    expect(entries).toHaveLength(854);
    expect(problems).toEqual([]);
  });

  it('GIVEN a tagged entry THEN day, id, version, tags and TL;DR are read', () => {
    expect(entries[0]).toEqual({
      day: '2025-12-18',
      id: '2512.16792',
      version: 1,
      title: 'Delay-Aware Multi-Stage Edge Server Upgrade with Budget Constraint',
      tags: ['edge', 'offloading', 'training'],
      tldr: expect.stringMatching(/^Proposes M-ESU algorithm .* large networks\.$/),
      line: 26,
    });
  });

  it('GIVEN an older untagged line THEN it is an entry without tags or TL;DR', () => {
    const flashInfer = entries.find((entry) => entry.id === '2501.01005');
    expect(flashInfer).toMatchObject({
      day: '2025-01-03',
      version: null,
      tags: [],
      tldr: null,
      title: 'FlashInfer: Efficient and Customizable Attention Engine for LLM Inference Serving',
    });
  });

  it('GIVEN a TL;DR quote without the label THEN the quote is still the TL;DR', () => {
    expect(entries.find((entry) => entry.id === '2510.08544')?.tldr).toMatch(/^Designs specialized hardware chips/);
  });

  it('GIVEN a `### from ~ to` batch heading THEN its papers take the range’s last day', () => {
    expect(entries.find((entry) => entry.line === 480)).toMatchObject({ id: '2510.05556', day: '2025-10-07' });
  });

  it('GIVEN a heading that is not a date THEN its entries are reported, not filed under the previous day', () => {
    const parsed = parseReadme('### 2025-12-18\n* [A](https://arxiv.org/abs/2512.00001)\n### someday\n* [B](https://arxiv.org/abs/2512.00002)\n');
    expect(parsed.entries.map((entry) => entry.id)).toEqual(['2512.00001']);
    expect(parsed.problems.map((problem) => [problem.line, problem.reason])).toEqual([
      [3, 'section heading is not a YYYY-MM-DD date or range'],
      [4, 'entry outside a dated section'],
    ]);
  });

  it('GIVEN double-encoded text THEN × is repaired', () => {
    expect(entries.filter((entry) => entry.tldr?.includes('×')).length).toBeGreaterThan(30);
    expect(entries.some((entry) => /Ã|â€/.test(`${entry.title} ${entry.tldr}`))).toBe(false);
  });
});

describe('importReadme', () => {
  let app: App;
  beforeEach(async () => {
    app = await openTestApp({}, { now: clock.now });
  });
  afterEach(() => app.close());

  it('GIVEN the seed THEN 847 papers are imported and the 7 duplicates merged', async () => {
    const report = await importReadme(app.db, seed, app.vocabulary, clock.now);
    expect(report).toMatchObject({ entries: 854, distinct: 847, imported: 847, duplicatesMerged: 7, alreadyPresent: 0, problems: [] });
    expect((await app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM papers'))?.n).toBe(847);
  });

  it('GIVEN the seed (newest day first) THEN rows are stored oldest day first, as ingest stores days', async () => {
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    const days = (await app.db.all<{ day: string }>('SELECT announced_on AS day FROM papers ORDER BY pk')).map((row) => row.day);
    expect(days[0]).toBe('2025-01-03');
    expect(days.at(-1)).toBe('2025-12-18');
    expect(days).toEqual([...days].sort());
  });

  it('GIVEN a paper listed twice with tags in another order THEN it is one paper, on its first day, with the union of tags', async () => {
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    const agentic = await getPaper(app.db, '2510.05556');
    expect(agentic).toMatchObject({ announcedOn: '2025-09-30', classification: { status: 'done', relevant: true, model: 'import' } });
    expect([...(agentic?.classification.tags ?? [])].sort()).toEqual(['agentic', 'offloading', 'serving']);
  });

  it('GIVEN off-vocabulary tags THEN synonyms are corrected and the rest dropped, never stored', async () => {
    const report = await importReadme(app.db, seed, app.vocabulary, clock.now);
    expect(report.correctedTags).toEqual(new Map([['inference', 'serving']]));
    expect([...report.droppedTags.keys()]).toEqual(expect.arrayContaining(['scheduling', 'autoscaling', 'load-balancing']));
    const stored = await app.db.all<{ tag: string }>('SELECT DISTINCT tag FROM paper_tags');
    expect(stored.every(({ tag }) => app.vocabulary.names().includes(tag))).toBe(true);
  });

  it('GIVEN the seed imported twice THEN the second import adds nothing', async () => {
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    const again = await importReadme(app.db, seed, app.vocabulary, clock.now);
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 847 });
    expect((await app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM papers'))?.n).toBe(847);
  });

  it('GIVEN an export of the imported seed THEN importing it elsewhere gives back the same papers, tags and TL;DRs', async () => {
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    const original = await relevantPapersBetween(app.db, '0000-01-01', '9999-12-31');
    const markdown = renderReadme(original, { tags: app.vocabulary.names(), categories: ['cs.DC', 'cs.OS', 'cs.LG'], updatedOn: '2025-12-19' });
    expect(markdown).toContain('total_papers-847-blue');
    expect(markdown.indexOf('### 2025-12-18')).toBeLessThan(markdown.indexOf('### 2025-01-03'));

    const copy = await openTestApp({}, { now: clock.now });
    try {
      const report = await importReadme(copy.db, markdown, copy.vocabulary, clock.now);
      expect(report).toMatchObject({ imported: 847, duplicatesMerged: 0, problems: [] });
      const restored = await relevantPapersBetween(copy.db, '0000-01-01', '9999-12-31');
      const essence = (papers: typeof original) =>
        papers
          .map((paper) => ({ id: paper.id, title: paper.title, day: paper.announcedOn, tags: paper.classification.tags, tldr: paper.classification.tldr }))
          .sort((a, b) => a.id.localeCompare(b.id));
      expect(essence(restored)).toEqual(essence(original));
    } finally {
      await copy.close();
    }
  });
});
