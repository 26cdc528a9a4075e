import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { EMPTY_QUERY, type Query } from '../../src/domain/query.ts';
import { importReadme } from '../../src/pipeline/import-readme.ts';
import { storeClassified } from '../helpers/classified.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const seed = readFileSync(new URL('../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');
const like = (id: string, fields: Partial<Query> = {}): Query => ({ ...EMPTY_QUERY, like: id, ...fields });

type Tagged = { id: string; tags: string[] };

describe('more like this on the imported seed archive', () => {
  let app: App;
  let tagged: Tagged[];

  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    const rows = await app.db.all<{ id: string; tags: string }>("SELECT paper_id AS id, tags FROM classifications WHERE relevant = 1 AND tags <> '[]'");
    tagged = rows.map((row) => ({ id: row.id, tags: JSON.parse(row.tags) as string[] }));
  });
  afterAll(() => app.close());

  /** Over the tagged papers with `tag`: the share of their 8 nearest tagged papers that carry it too. */
  async function shareOfTag(tag: string): Promise<{ neighbours: number; random: number }> {
    const sources = tagged.filter((paper) => paper.tags.includes(tag));
    const tagsOf = new Map(tagged.map((paper) => [paper.id, paper.tags]));
    // Only tagged papers as neighbours: the seed's older papers have no tags to compare.
    const anyTag = [app.vocabulary.names().map((name) => ({ kind: 'tag' as const, value: name }))];
    let hits = 0;
    let shown = 0;
    for (const source of sources) {
      const page = await app.similar.find(like(source.id, { anyOf: anyTag }), { limit: 8, offset: 0 });
      shown += page.papers.length;
      hits += page.papers.filter((paper) => tagsOf.get(paper.id)?.includes(tag)).length;
    }
    return { neighbours: hits / shown, random: (sources.length - 1) / (tagged.length - 1) };
  }

  it('GIVEN a MoE paper THEN most of its 8 nearest papers are MoE papers, five times the share of a random pick', async () => {
    const moe = await shareOfTag('MoE');
    expect(moe.neighbours).toBeGreaterThan(0.5);
    expect(moe.neighbours).toBeGreaterThan(5 * moe.random);
  });

  it('GIVEN RL and edge papers THEN their neighbours share their tag at least twice as often as chance', async () => {
    for (const tag of ['RL', 'edge']) {
      const share = await shareOfTag(tag);
      expect(share.neighbours, tag).toBeGreaterThan(2 * share.random);
    }
  });

  it('GIVEN a paper judged irrelevant THEN it still has neighbours among the relevant papers', async () => {
    await storeClassified(app, paperRecord(90_001, { title: 'Expert offloading for MoE inference on memory-limited GPUs', abstract: '' }), '2025-12-18', {
      relevant: false,
      tags: [],
      tldr: null,
    });
    const page = await app.similar.find(like('2512.100001'), { limit: 5, offset: 0 });
    expect(page.papers.length).toBe(5);
    expect(page.papers.every((paper) => paper.classification.relevant)).toBe(true);
    expect(page.method).toBe('words');
  });
});

describe('more like this as the archive changes', () => {
  it('GIVEN a paper added after the index was built THEN it is found once the index is refreshed', async () => {
    const app = await openTestApp({}, { now: clock.now });
    try {
      const kernel = (number: number, title: string) => storeClassified(app, paperRecord(number, { title, abstract: '' }), '2025-12-18', { tldr: null });
      await kernel(1, 'Fused attention kernels in Triton');
      await kernel(2, 'Triton kernels for fused attention on Hopper');
      await kernel(3, 'Disaggregated prefill and decode for serving');
      expect((await app.similar.find(like('2512.10001'), { limit: 5, offset: 0 })).papers.map((paper) => paper.id)).toEqual(['2512.10002']);

      await kernel(4, 'Autotuned fused attention kernels written in Triton');
      await app.similar.refresh();
      expect((await app.similar.find(like('2512.10001'), { limit: 5, offset: 0 })).papers.map((paper) => paper.id).sort()).toEqual([
        '2512.10002',
        '2512.10004',
      ]);
    } finally {
      await app.close();
    }
  });
});
