import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyPending } from '../../../src/pipeline/classify.ts';
import { ingestDay } from '../../../src/pipeline/ingest.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { answerBy, type DailyRunHarness, startDailyRun, subscribe } from '../../helpers/daily-run.ts';

const BIN = new URL('../../../bin/lmsys-papers.js', import.meta.url).pathname;
const DAY = '2025-12-18';
const PEOPLE = Array.from({ length: 20 }, (_, index) => `U${100 + index}`);
const thursdayFeed = readFileSync(new URL('../../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');

/**
 * Exactly once across a `kill -9`: a real `lmsys-papers digest` process sends 20 alerts to a slow
 * Slack (3 s per post) and is killed while posts are in flight — Slack has taken them, the ledger
 * has not recorded them. The rerun must find those in the DMs' history instead of posting them
 * again (0 duplicates), and send everything else (0 gaps).
 */
describe('Slack alerts in flight at a kill -9', () => {
  let harness: DailyRunHarness;
  let slack: FakeSlackApi;
  let child: ChildProcess | null = null;

  beforeEach(async () => {
    harness = await startDailyRun();
    harness.arxiv.rss = thursdayFeed;
    harness.llm.answer = answerBy({ '2512.16473': { tags: ['MoE', 'serving'] }, '2512.16391': { tags: ['sparse'] } });
    await ingestDay(harness.app.ingest, DAY);
    await classifyPending(harness.app.classify);
    for (const person of PEOPLE) await subscribe(harness.app, 'slack', person, 'MoE');
    slack = await FakeSlackApi.start();
    slack.addUsers(...PEOPLE);
    slack.postLatencyMs = 3000;
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await slack.close();
    await harness.close();
  });

  /** `lmsys-papers digest --date DAY` as its own process, on the same database file. */
  function digest(): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
    const env = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: `sqlite://${harness.app.db.path}`,
      LOG_LEVEL: 'warn',
      ARXIV_RSS_URL: harness.arxiv.rssUrl,
      ARXIV_API_URL: harness.arxiv.apiUrl,
      OPENAI_BASE_URL: harness.llm.baseUrl,
      OPENAI_MODEL: 'fake-model',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: slack.apiUrl,
      // The killed process is gone: its claims may be taken over at once.
      DELIVERY_CLAIM_TIMEOUT_MS: '1',
    };
    const started = spawn(process.execPath, [BIN, 'digest', '--date', DAY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    started.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    started.stderr?.on('data', (chunk) => {
      output += String(chunk);
    });
    child = started;
    return { child: started, exited: once(started, 'exit').then(([code]) => code as number | null), output: () => output };
  }

  /** Resolves once Slack has taken `count` posts and some of them are still unanswered. */
  function postsInFlight(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (slack.posted.length < count || slack.unanswered === 0) return;
        slack.off('post', check);
        resolve();
      };
      slack.on('post', check);
      check();
    });
  }

  it('GIVEN 20 alerts to a slow Slack and a kill -9 with posts in flight WHEN digest runs again THEN every person has the alert exactly once', async () => {
    await harness.app.close();
    const first = digest();
    await postsInFlight(6);
    const inFlight = slack.unanswered;
    first.child.kill('SIGKILL');
    await first.exited;
    const postedBeforeKill = slack.posted.length;

    const rerun = digest();
    expect(await rerun.exited).toBe(0);

    const perPerson = PEOPLE.map((person) => slack.posted.filter((message) => message.channel === `D${person.slice(1)}`).length);
    const duplicates = perPerson.filter((count) => count > 1).length;
    const gaps = perPerson.filter((count) => count === 0).length;
    expect({ inFlightAtKill: inFlight > 0, postedBeforeKill: postedBeforeKill >= 6 }).toEqual({ inFlightAtKill: true, postedBeforeKill: true });
    expect({ sent: slack.posted.length, duplicates, gaps }).toEqual({ sent: 20, duplicates: 0, gaps: 0 });
    expect(rerun.output()).toMatch(/found already delivered/);
  }, 120_000);

  it('GIVEN posts Slack takes and does not answer WHEN SIGTERM THEN digest ends within 5 s, and the rerun finds the posts Slack took: every person once', async () => {
    await harness.app.close();
    slack.postLatencyMs = 60_000;
    const first = digest();
    await postsInFlight(2);
    const sent = performance.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(1);
    expect(performance.now() - sent).toBeLessThan(5000);

    slack.postLatencyMs = 0;
    const rerun = digest();
    expect(await rerun.exited).toBe(0);

    const perPerson = PEOPLE.map((person) => slack.posted.filter((message) => message.channel === `D${person.slice(1)}`).length);
    const duplicates = perPerson.filter((count) => count > 1).length;
    const gaps = perPerson.filter((count) => count === 0).length;
    expect({ sent: slack.posted.length, duplicates, gaps }).toEqual({ sent: 20, duplicates: 0, gaps: 0 });
  }, 120_000);
});
