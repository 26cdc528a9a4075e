import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDay } from './../src/run-day.ts';
import { embeddingOf } from '../src/store/embeddings.ts';
import { recentRuns } from '../src/store/runs.ts';
import { answerBy, type DailyRunHarness, startDailyRun } from './helpers/daily-run.ts';

const thursdayFeed = readFileSync(new URL('./fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');

describe('the daily run with OPENAI_EMBEDDING_MODEL', () => {
  let h: DailyRunHarness;
  beforeEach(async () => {
    h = await startDailyRun({ OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small' });
    h.arxiv.rss = thursdayFeed;
    h.llm.answer = answerBy({ '2512.16473': { tags: ['MoE', 'offloading', 'serving'] }, '2512.16391': { tags: ['serving', 'sparse'] } });
  });
  afterEach(() => h.close());

  it('GIVEN a day THEN the relevant papers are embedded after classification, and the tokens are in the run summary', async () => {
    const summary = await runDay(h.app, '2025-12-18', { messengers: [] });
    expect(summary.status).toBe('ok');
    expect(h.llm.embeddingRequests.map((request) => request.inputs.length)).toEqual([2]);
    expect(await embeddingOf(h.app.db, '2512.16473', 'text-embedding-3-small')).not.toBeNull();
    const [embed] = await recentRuns(h.app.db, 1, 'embed');
    const [classify] = await recentRuns(h.app.db, 1, 'classify');
    expect(summary.tokens).toBe((classify?.stats.totalTokens as number) + (embed?.stats.totalTokens as number));
  });
});
