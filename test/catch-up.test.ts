import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catchUp } from '../src/catch-up.ts';
import { recordRun } from '../src/store/runs.ts';
import { syntheticEntry } from './fakes/atom.ts';
import { FakePlatform } from './fakes/recording-messenger.ts';
import { answerBy, type DailyRunHarness, digestHere, startDailyRun, subscribe } from './helpers/daily-run.ts';

const thursdayFeed = readFileSync(new URL('./fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');

/** Monday 2025-12-15 was the last day delivered; then the process was down until Friday morning (Shanghai). */
async function lastDeliveredMonday(h: DailyRunHarness): Promise<void> {
  const at = new Date('2025-12-16T00:00:00Z');
  for (const kind of ['ingest', 'deliver'] as const) {
    await recordRun(h.app.db, { kind, day: '2025-12-15', source: 'test', status: 'ok', startedAt: at, finishedAt: at });
  }
}

describe('catch-up', () => {
  let h: DailyRunHarness;
  let slack: FakePlatform;
  beforeEach(async () => {
    h = await startDailyRun();
    h.arxiv.rss = thursdayFeed;
    // Tuesday lists what was submitted Friday→Monday 14:00 ET, Wednesday Monday→Tuesday (export API).
    h.arxiv.corpus = [
      syntheticEntry(1, '2025-12-14T12:00:00Z', { id: '2512.11001', title: 'Tuesday Paper: Serving MoE at Scale' }),
      syntheticEntry(2, '2025-12-16T12:00:00Z', { id: '2512.12001', title: 'Wednesday Paper: MoE Expert Offloading' }),
    ];
    h.llm.answer = answerBy({ '2512.11001': { tags: ['MoE'] }, '2512.12001': { tags: ['MoE'] }, '2512.16473': { tags: ['MoE'] } });
    slack = new FakePlatform('slack');
    await digestHere(h.app, 'slack', 'C-all');
    await subscribe(h.app, 'slack', 'U-moe', 'MoE');
    await lastDeliveredMonday(h);
  });
  afterEach(() => h.close());

  it('GIVEN three missed days THEN each is ingested and delivered in order, every digest and alert marked with its own date', async () => {
    const result = await catchUp(h.app, { messengers: [slack.messenger()] });

    expect(result.days.map((day) => [day.day, day.status, day.digestsSent, day.alertsSent])).toEqual([
      ['2025-12-16', 'ok', 1, 1],
      ['2025-12-17', 'ok', 1, 1],
      ['2025-12-18', 'ok', 1, 1],
    ]);
    expect(slack.delivered.map((message) => [message.kind, message.target, message.day, message.paperIds])).toEqual([
      ['digest', 'C-all', '2025-12-16', ['2512.11001']],
      ['alert', 'U-moe', '2025-12-16', ['2512.11001']],
      ['digest', 'C-all', '2025-12-17', ['2512.12001']],
      ['alert', 'U-moe', '2025-12-17', ['2512.12001']],
      ['digest', 'C-all', '2025-12-18', ['2512.16473']],
      ['alert', 'U-moe', '2025-12-18', ['2512.16473']],
    ]);
    expect((await catchUp(h.app, { messengers: [slack.messenger()] })).days).toEqual([]);
  });

  it('GIVEN CATCHUP_MAX_DAYS=2 THEN only the days within it are caught up', async () => {
    const restarted = await h.reopen({ CATCHUP_MAX_DAYS: '2' });
    const result = await catchUp(restarted, { messengers: [slack.messenger()] });
    expect(result.days.map((day) => day.day)).toEqual(['2025-12-17', '2025-12-18']);
  });

  it('GIVEN a missed day arXiv cannot serve THEN catch-up stops there, posts nothing after it, and resumes from it next time', async () => {
    h.arxiv.script('api', ...Array.from({ length: 3 }, () => ({ status: 503 })));

    const failed = await catchUp(h.app, { messengers: [slack.messenger()] });
    expect(failed.days.map((day) => [day.day, day.status])).toEqual([['2025-12-16', 'failed']]);
    expect(failed.days[0]?.error).toMatch(/ingest failed: .*503/);
    expect(slack.delivered).toEqual([]);

    const resumed = await catchUp(h.app, { messengers: [slack.messenger()] });
    expect(resumed.days.map((day) => [day.day, day.status])).toEqual([
      ['2025-12-16', 'ok'],
      ['2025-12-17', 'ok'],
      ['2025-12-18', 'ok'],
    ]);
  });
});
