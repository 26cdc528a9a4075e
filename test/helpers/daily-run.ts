import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, openApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Platform } from '../../src/domain/delivery.ts';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { parseSubscriptionTargets } from '../../src/domain/subscription.ts';
import { createLogger } from '../../src/log.ts';
import { enableChannelDigest } from '../../src/store/channels.ts';
import { addSubscription } from '../../src/store/subscriptions.ts';
import { FakeArxiv } from '../fakes/arxiv-server.ts';
import { type FakeAnswer, FakeOpenAi, type FakePaper } from '../fakes/openai-server.ts';
import { paperRecord } from './papers.ts';
import { captureStream, fixedClock, TEST_ENV } from './test-app.ts';

/** 08:00 in Shanghai on Friday 2025-12-19 = 19:00 on Thursday in New York: Thursday's announcement is the latest. */
export const FRIDAY_RUN = '2025-12-19T00:00:00Z';

/**
 * Everything a daily run talks to, local: fake arXiv, fake OpenAI, a database file (so a test can
 * "restart" by opening it again), a clock the test moves, a sleep that moves that clock instead of
 * waiting, and the structured log lines.
 */
export type DailyRunHarness = {
  readonly arxiv: FakeArxiv;
  readonly llm: FakeOpenAi;
  readonly clock: ReturnType<typeof fixedClock> & { advance(ms: number): void };
  readonly sleeps: number[];
  /** Called while an injected sleep is under way (between its start and the clock moving on). */
  duringSleep: ((sleeping: boolean) => void) | null;
  app: App;
  logs(): Record<string, unknown>[];
  /** Opens the same database file again, as a restarted process would (with more settings, if given). */
  reopen(settings?: Record<string, string>): Promise<App>;
  close(): Promise<void>;
};

export async function startDailyRun(env: Record<string, string> = {}, at = FRIDAY_RUN): Promise<DailyRunHarness> {
  const arxiv = await FakeArxiv.start();
  const llm = await FakeOpenAi.start();
  const dir = mkdtempSync(join(tmpdir(), 'lmsys-daily-'));
  const base = fixedClock(at);
  const clock = Object.assign(base, { advance: (ms: number) => base.set(new Date(base.now().getTime() + ms).toISOString()) });
  const log = captureStream();
  const opened: App[] = [];
  const harness: DailyRunHarness = {
    arxiv,
    llm,
    clock,
    sleeps: [],
    duringSleep: null,
    app: undefined as unknown as App,
    logs: () =>
      log
        .text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async reopen(settings = {}) {
      const config = loadConfig({
        ...TEST_ENV,
        DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`,
        LOG_LEVEL: 'info',
        ARXIV_RSS_URL: arxiv.rssUrl,
        ARXIV_API_URL: arxiv.apiUrl,
        OPENAI_BASE_URL: llm.baseUrl,
        OPENAI_MODEL: 'fake-model',
        OPENAI_MAX_RETRIES: '0',
        OPENAI_RETRY_BASE_MS: '1',
        LLM_DAILY_TOKEN_CAP: '0',
        DELIVERY_RETRY_BASE_MS: '60000',
        ...env,
        ...settings,
      });
      const sleep = async (ms: number) => {
        harness.sleeps.push(ms);
        harness.duringSleep?.(true);
        // Yield to the event loop, as a real wait would, so anything not held back would run now.
        await new Promise((done) => setImmediate(done));
        clock.advance(ms);
        harness.duringSleep?.(false);
      };
      const app = await openApp(config, createLogger(config.LOG_LEVEL, log.stream), { now: clock.now, sleep });
      opened.push(app);
      return app;
    },
    async close() {
      for (const app of opened) await app.close().catch(() => undefined);
      await arxiv.close();
      await llm.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  harness.app = await harness.reopen();
  return harness;
}

/** The fake LLM's verdicts by paper id; anything else is irrelevant. */
export function answerBy(verdicts: Record<string, { tags: string[]; tldr?: string }>): (paper: FakePaper) => FakeAnswer {
  return (paper) => {
    const verdict = verdicts[paper.id];
    return verdict ? { relevant: true, tags: verdict.tags, tldr: verdict.tldr ?? `TL;DR of ${paper.id}.` } : { relevant: false, tags: [], tldr: null };
  };
}

export async function subscribe(app: App, platform: Platform, userId: string, input: string): Promise<void> {
  for (const target of parseSubscriptionTargets(input, app.vocabulary)) {
    await addSubscription(app.db, { platform, userId }, target, app.now().toISOString());
  }
}

export async function digestHere(app: App, platform: Platform, channelId: string, tags: readonly string[] = []): Promise<void> {
  await enableChannelDigest(app.db, { platform, channelId }, tags, { userId: 'admin', displayName: 'Admin' }, app.now().toISOString());
}

/** A cs.DC paper for a generated feed. */
export function dcPaper(id: string, title: string, overrides: Partial<PaperRecord> = {}): PaperRecord {
  return paperRecord(0, {
    id,
    title,
    abstract: `We present ${title}. It improves LLM serving throughput on GPU clusters by 2x.`,
    authors: ['Ada Author', 'Bo Author'],
    ...overrides,
  });
}
