import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { matchSubscriptions } from '../../src/delivery/match-subscriptions.ts';
import type { Paper } from '../../src/domain/paper.ts';
import { EMPTY_QUERY } from '../../src/domain/query.ts';
import { parseSubscriptionTargets, type Subscriber, type Subscription } from '../../src/domain/subscription.ts';
import { createVocabulary } from '../../src/domain/tags.ts';
import { importReadme } from '../../src/pipeline/import-readme.ts';
import { relevantPapersBetween } from '../../src/store/papers.ts';
import { searchPapers } from '../../src/store/search.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const vocabulary = createVocabulary();

function paper(id: string, title: string, fields: { abstract?: string; tldr?: string; tags?: string[]; authors?: string[] } = {}): Paper {
  return {
    ...paperRecord(0, { id, title, abstract: fields.abstract ?? '', authors: fields.authors ?? [] }),
    announcedOn: '2025-12-18',
    classification: {
      status: 'done',
      relevant: true,
      tags: fields.tags ?? [],
      tldr: fields.tldr ?? null,
      model: 'test',
      promptHash: null,
      version: 1,
      error: null,
      attempts: 1,
    },
  };
}

let nextId = 1;
function subscriptions(subscriber: Subscriber, ...inputs: string[]): Subscription[] {
  return inputs.flatMap((input) =>
    parseSubscriptionTargets(input, vocabulary).map((target) => ({ ...subscriber, ...target, id: nextId++, createdAt: '2025-12-18T00:00:00Z' })),
  );
}

const papers = [
  paper('2512.00001', 'Speculative Decoding for MoE Serving', { tags: ['MoE', 'serving'], authors: ['Song Han', 'Ji Lin'] }),
  paper('2512.00002', 'A Cache for KV Tensors', { abstract: 'We cache KV blocks on the CPU.', tags: ['offloading'] }),
  paper('2512.00003', 'Paged Attention Revisited', { tldr: 'Improves the KV cache layout; decodes 2x faster.', tags: ['serving', 'kernel'] }),
  paper('2512.00004', 'Training Déjà Vu', { abstract: 'Checkpointing.', tags: ['training'], authors: ['Han Song'] }),
];

describe('matchSubscriptions', () => {
  it('GIVEN tags, keywords, phrases and authors THEN each person gets their papers with the reasons', async () => {
    const alice = { platform: 'slack', userId: 'U1' } as const;
    const bob = { platform: 'discord', userId: 'D7' } as const;
    const all = [...subscriptions(alice, 'moe', 'speculative decoding', 'serving'), ...subscriptions(bob, '"kv cache"', 'author:Song Han', 'deja vu')];
    const result = await matchSubscriptions(papers, all);
    const view = result.map(({ subscriber, papers: matched }) => ({
      who: `${subscriber.platform}:${subscriber.userId}`,
      papers: matched.map(({ paper: { id }, reasons }) => `${id} ${reasons.join(' | ')}`),
    }));
    expect(view).toEqual([
      { who: 'slack:U1', papers: ['2512.00001 MoE | keyword: speculative decoding | serving', '2512.00003 serving'] },
      { who: 'discord:D7', papers: ['2512.00001 author: Song Han', '2512.00003 phrase: "kv cache"', '2512.00004 keyword: deja vu'] },
    ]);
  });

  it('GIVEN a keyword and a phrase of the same words THEN the keyword matches them anywhere, the phrase only in order', async () => {
    const keyword = subscriptions({ platform: 'slack', userId: 'K' }, 'kv cache');
    const phrase = subscriptions({ platform: 'slack', userId: 'P' }, '"kv cache"');
    const [keywordMatches] = await matchSubscriptions(papers, keyword);
    const [phraseMatches] = await matchSubscriptions(papers, phrase);
    expect(keywordMatches?.papers.map(({ paper: { id } }) => id)).toEqual(['2512.00002', '2512.00003']);
    expect(phraseMatches?.papers.map(({ paper: { id } }) => id)).toEqual(['2512.00003']);
  });

  it('GIVEN other word forms and case THEN stemming matches them (decoding ~ decodes, CACHE ~ caching)', async () => {
    const result = await matchSubscriptions(papers, subscriptions({ platform: 'slack', userId: 'S' }, 'DECODING', '"caching KV"'));
    expect(result[0]?.papers.map(({ paper: { id }, reasons }) => `${id} ${reasons.join(' | ')}`)).toEqual([
      '2512.00001 keyword: DECODING',
      '2512.00002 phrase: "caching KV"',
      '2512.00003 keyword: DECODING',
    ]);
  });

  it('GIVEN the same person on two platforms THEN they are two subscribers', async () => {
    const result = await matchSubscriptions(papers, [
      ...subscriptions({ platform: 'slack', userId: 'U1' }, 'MoE'),
      ...subscriptions({ platform: 'discord', userId: 'U1' }, 'MoE'),
    ]);
    expect(result.map(({ subscriber }) => subscriber.platform)).toEqual(['slack', 'discord']);
  });

  it('GIVEN a keyword followed by many THEN the text is matched once for all of them', async () => {
    const calls: number[] = [];
    const many = Array.from({ length: 50 }, (_, index) =>
      subscriptions({ platform: 'slack', userId: `U${index}` }, 'speculative decoding', 'Speculative Decoding'),
    ).flat();
    const result = await matchSubscriptions(papers, many, async (_documents, queries) => {
      calls.push(queries.length);
      return queries.map(() => [0]);
    });
    expect(calls).toEqual([1]);
    expect(result).toHaveLength(50);
  });

  it('GIVEN no papers or no subscriptions THEN nobody gets anything', async () => {
    expect(await matchSubscriptions([], subscriptions({ platform: 'slack', userId: 'U1' }, 'MoE', 'kv'))).toEqual([]);
    expect(await matchSubscriptions(papers, [])).toEqual([]);
  });
});

describe('keyword matching agrees with search', () => {
  let app: App;
  const clock = fixedClock('2025-12-19T01:30:00Z');
  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    await importReadme(app.db, readFileSync(new URL('../fixtures/seed-readme.md', import.meta.url), 'utf8'), app.vocabulary, clock.now);
  });
  afterAll(() => app.close());

  it.each([['offloading'], ['decode'], ['sparse attention'], ['GPU memory'], ['throughput'], ['scheduling'], ['moe']])(
    'GIVEN the keyword %j THEN it matches exactly the papers of the month that a search for the word finds',
    async (keyword) => {
      const month = await relevantPapersBetween(app.db, '2025-12-01', '2025-12-31');
      const words = keyword.split(' ');
      const searched = await searchPapers(app.db, { ...EMPTY_QUERY, words, range: { from: '2025-12-01', to: '2025-12-31' } }, { limit: 500, offset: 0 });
      const subscriber = { platform: 'console', userId: 'me' } as const;
      const keywordSubscription: Subscription = { ...subscriber, id: 1, kind: 'keyword', value: keyword, key: keyword.toLowerCase(), createdAt: '' };
      const [matched] = await matchSubscriptions(month, [keywordSubscription]);
      const expected = searched.papers.map((found) => found.id).sort();
      expect(expected.length).toBeGreaterThan(0);
      expect((matched?.papers ?? []).map(({ paper: found }) => found.id).sort()).toEqual(expected);
    },
  );
});
