import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import { FakeArxiv } from '../fakes/arxiv-server.ts';
import { FakeDiscord } from '../fakes/discord/fake-discord.ts';
import { FakeOpenAi } from '../fakes/openai-server.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { answerBy, FRIDAY_RUN } from '../helpers/daily-run.ts';
import { runCliCaptured } from '../helpers/run-cli-captured.ts';
import { captureStream, fixedClock, TEST_ENV } from '../helpers/test-app.ts';

const thursdayFeed = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');

describe('lmsys-papers digest and status', () => {
  let dir: string;
  let arxiv: FakeArxiv;
  let llm: FakeOpenAi;
  let env: Record<string, string>;
  const clock = fixedClock(FRIDAY_RUN);

  async function cli(argv: string[], stdin: string[] = []) {
    return runCliCaptured(argv, { env, stdin, appOptions: { now: clock.now } });
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-digest-'));
    arxiv = await FakeArxiv.start();
    arxiv.rss = thursdayFeed;
    llm = await FakeOpenAi.start();
    llm.answer = answerBy({ '2512.16473': { tags: ['MoE', 'serving'] }, '2512.16391': { tags: ['sparse'] } });
    env = {
      ...TEST_ENV,
      LOG_LEVEL: 'warn',
      DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`,
      ARXIV_RSS_URL: arxiv.rssUrl,
      ARXIV_API_URL: arxiv.apiUrl,
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      SLACK_DIGEST_CHANNELS: 'C9',
    };
    // The person at the console follows MoE and takes the digest in the console "channel".
    await cli(['repl', '--user', 'alice'], ['/subscribe MoE\n', '/digest here\n']);
  });
  afterEach(async () => {
    await arxiv.close();
    await llm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a day not yet ingested THEN --dry-run says how to fetch it and changes nothing', async () => {
    const result = await cli(['digest', '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('2025-12-18 is not in the archive yet: `lmsys-papers ingest --date 2025-12-18` fetches it');
    expect(arxiv.requests).toEqual([]);
  });

  it('GIVEN an ingested day THEN --dry-run prints each message with its recipient, on every platform, and claims nothing', async () => {
    await cli(['ingest', '--date', '2025-12-18']);
    const result = await cli(['digest', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('→ console channel console (digest)\n2 papers on Thursday 2025-12-18 · serving 1 · MoE 1 · sparse 1');
    expect(result.stdout).toContain('→ slack channel C9 (digest)');
    expect(result.stdout).toMatch(/→ console user alice \(alert\)\nThursday 2025-12-18: 1 new paper for you\.[\s\S]*because you follow MoE/);
    expect(result.stderr).toContain('dry run for 2025-12-18: would send 2 digests and 1 alert');
    expect((await cli(['status', '--json'])).stdout).toContain('"deliveries": []');
  });

  it('GIVEN no chat token THEN digest runs the day and prints the console deliveries; a second run sends nothing; status shows them', async () => {
    const first = await cli(['digest']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('→ console channel console (digest)');
    expect(first.stdout).toContain('→ console user alice (alert)');
    expect(first.stderr).toMatch(
      /2025-12-18: ok — 4 candidates, 2 relevant, \d+ tokens; 1 digest and 1 alert sent, 0 failed \(0 to retry\) — 1 for platforms not configured here/,
    );

    const second = await cli(['digest']);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('every announcement day is delivered: nothing to do');
    const again = await cli(['digest', '--date', '2025-12-18']);
    expect(again.stdout).toBe('');

    const status = await cli(['status']);
    expect(status.stdout).toMatch(/deliver\s+2025-12-18 ok\s+daily-run: 4 candidates, 2 relevant, \d+ tokens, 1 digest and 1 alert sent, 0 failed/);
    // The Slack channel's digest waits in the ledger for a process that has Slack.
    expect(status.stdout).toContain('2025-12-18  digests 1 sent, 1 pending, 0 failed');
    expect(status.stdout).toContain('slack is not configured in the process that planned it');
    expect(status.stdout).toContain('2025-12-18  alerts  1 sent, 0 pending, 0 failed');
  });

  it('GIVEN Slack, Discord and the web page configured THEN digest sends through their messengers alone: no Socket Mode, no gateway, no port taken', async () => {
    const slack = await FakeSlackApi.start();
    const discord = await FakeDiscord.start();
    // A running serve would hold this port; a one-shot digest must not need it.
    const busy = await new Promise<Server>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => done(server));
    });
    try {
      env = {
        ...env,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: discord.token,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_DIGEST_CHANNELS: discord.channelId,
        WEB_PORT: String((busy.address() as AddressInfo).port),
      };
      const result = await cli(['digest']);
      expect(result.stderr).toMatch(/2025-12-18: ok — .* 2 digests and 0 alerts sent, 0 failed/);
      expect(result.code).toBe(0);
      expect(slack.posted.map((message) => message.channel)).toContain('C9');
      expect(discord.rest.posted.get(discord.channelId)?.[0]?.content).toContain('arXiv digest for 2025-12-18');
      expect(slack.calls.map((call) => call.method)).not.toContain('apps.connections.open');
      expect(discord.rest.requests.map((request) => request.path)).not.toContain('/gateway/bot');
    } finally {
      busy.close();
      await discord.close();
      await slack.close();
    }
  });

  it('GIVEN serve with a schedule and no chat token THEN the start-up catch-up prints the missed day to the console, and SIGTERM stops it', async () => {
    env = { ...env, DIGEST_CRON: '0 8 * * *' };
    const stdout = new PassThrough();
    let written = '';
    const delivered = new Promise<void>((resolve) => {
      stdout.on('data', (chunk) => {
        written += String(chunk);
        if (written.includes('→ console user alice (alert)')) resolve();
      });
    });
    const controller = new AbortController();
    const serving = runCli(['serve'], {
      env,
      stdout,
      stderr: captureStream().stream,
      stdin: Readable.from([]),
      signal: controller.signal,
      appOptions: { now: clock.now },
    });
    await delivered;
    controller.abort();
    expect(await serving).toBe(0);
    expect(written).toContain('→ console channel console (digest)');
  });
});
