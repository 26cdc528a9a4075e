import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../../src/app.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import { FakeArxiv } from '../../fakes/arxiv-server.ts';
import { FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import type { RecordedRequest } from '../../fakes/discord/rest-server.ts';
import { FakeOpenAi } from '../../fakes/openai-server.ts';
import { answerBy, FRIDAY_RUN, subscribe } from '../../helpers/daily-run.ts';
import { captureStream, fixedClock, TEST_ENV } from '../../helpers/test-app.ts';

const BIN = new URL('../../../bin/lmsys-papers.js', import.meta.url).pathname;
const DAY = '2025-12-18';
const thursdayFeed = readFileSync(new URL('../../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');
const RECIPIENTS = Array.from({ length: 20 }, (_, index) => `12000000000000000${String(index).padStart(2, '0')}`);
const isMessagePost = (request: RecordedRequest) => request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path);

/**
 * Exactly once across a real crash: `lmsys-papers digest` posts a digest and 20 alert DMs to a
 * slow Discord (3 s to answer a post, after carrying it out), is killed with SIGKILL while posts
 * are in flight, and runs again after the claims expired. Discord's nonce window is over by then
 * (the fake's is zero here), so only finding the messages in the channels keeps them single.
 */
describe('Discord sends in flight at a kill -9 (real child processes)', () => {
  let dir: string;
  let arxiv: FakeArxiv;
  let llm: FakeOpenAi;
  let discord: FakeDiscord;
  let env: Record<string, string>;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-crash-'));
    arxiv = await FakeArxiv.start();
    arxiv.rss = thursdayFeed;
    llm = await FakeOpenAi.start();
    llm.answer = answerBy({ '2512.16473': { tags: ['MoE', 'serving'] }, '2512.16391': { tags: ['sparse'] } });
    discord = await FakeDiscord.start({ nonceWindowMs: 0 });
    env = {
      ...TEST_ENV,
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`,
      ARXIV_RSS_URL: arxiv.rssUrl,
      ARXIV_API_URL: arxiv.apiUrl,
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_DIGEST_CHANNELS: discord.channelId,
      // A claim left by a dead process may be taken over at once (in production: after 10 minutes).
      DELIVERY_CLAIM_TIMEOUT_MS: '1',
    };
    const app = await openApp(loadConfig(env), createLogger('silent'));
    for (const user of RECIPIENTS) await subscribe(app, 'discord', user, 'MoE');
    await app.close();
    // The day is fetched and classified beforehand, on the clock of its announcement; the children only deliver it.
    for (const argv of [['ingest', '--date', DAY], ['classify']]) {
      const code = await runCli(argv, {
        env,
        stdout: captureStream().stream,
        stderr: captureStream().stream,
        stdin: Readable.from([]),
        appOptions: { now: fixedClock(FRIDAY_RUN).now },
      });
      expect(code).toBe(0);
    }
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await Promise.all([arxiv.close(), llm.close(), discord.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  function digest(): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } {
    const process_ = spawn(process.execPath, [BIN, 'digest', '--date', DAY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    process_.stdout?.on('data', (chunk) => (output += String(chunk)));
    process_.stderr?.on('data', (chunk) => (output += String(chunk)));
    return { child: process_, done: once(process_, 'exit').then(([code]) => ({ code: code as number | null, output })) };
  }

  /**
   * Each send as its channel shows it: one alert DM per recipient (content and one paper), the
   * digest as a header and a message per paper (the header says how many). A send counts as sent
   * when every message of it is there; each message there more than once is a duplicate; a send
   * with a message missing is a gap.
   */
  function tally() {
    const channels = [discord.channelId, ...RECIPIENTS.map((user) => discord.rest.dmChannels.get(user) ?? '')];
    const counts = channels.map((channel) => {
      const byText = new Map<string, number>();
      for (const message of channel ? discord.rest.channels.history(channel) : []) {
        const text = JSON.stringify([message.content, (message.embeds as { footer?: { text: string } }[]).map((embed) => embed.footer?.text)]);
        byText.set(text, (byText.get(text) ?? 0) + 1);
      }
      return [...byText.values()];
    });
    const header = discord.rest.channels.history(discord.channelId).find((message) => String(message.content).startsWith('**arXiv digest'));
    const papers = Number(/— (\d+) papers?/.exec(String(header?.content ?? ''))?.[1] ?? 1);
    const expected = [1 + papers, ...RECIPIENTS.map(() => 1)];
    return {
      sent: counts.filter((count, index) => count.length === expected[index]).length,
      duplicates: counts.flat().reduce((sum, count) => sum + count - 1, 0),
      gaps: counts.filter((count, index) => count.length < (expected[index] ?? 0)).length,
    };
  }

  it('GIVEN posts in flight when the process is killed THEN the rerun finds them in the channels: every recipient once, none twice', async () => {
    // Slow to answer posts (3 s after carrying them out); quick with everything else.
    discord.rest.latency = (request) => (isMessagePost(request) ? 3000 : 0);
    const first = digest();
    child = first.child;
    // Eight messages carried out by Discord, the latest with their answers still on the way: then the process dies.
    let carried = 0;
    await discord.rest.waitFor((request) => isMessagePost(request) && ++carried === 8, 'committed');
    first.child.kill('SIGKILL');
    await first.done;
    const atCrash = tally();
    const inFlight = discord.rest.requests.filter((request) => isMessagePost(request) && request.status !== undefined && !request.answered).length;
    expect(atCrash.duplicates).toBe(0);
    expect(atCrash.gaps).toBeGreaterThan(0);
    expect(inFlight).toBeGreaterThanOrEqual(4);

    discord.rest.latency = () => 0;
    const second = digest();
    child = second.child;
    const rerun = await second.done;
    expect(rerun.code).toBe(0);

    expect(tally()).toEqual({ sent: 21, duplicates: 0, gaps: 0 });
    // What was in flight was found, not sent again.
    expect(rerun.output).toMatch(/(\d+) found already delivered/);
    expect(Number(/(\d+) found already delivered/.exec(rerun.output)?.[1])).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
