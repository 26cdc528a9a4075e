/**
 * SIGTERM-to-exit of real `lmsys-papers` child processes in the states issue 13 names, with the
 * production timings (3 s arXiv spacing, 3 s first backoff, 4 retries): serve during a failing
 * arXiv fetch, serve whose Slack connection is refused, serve with the Discord gateway unreachable,
 * serve idle, digest in the middle of sending, and a second SIGTERM while a send hangs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestAnnouncementDay } from '../src/pipeline/ingest.ts';
import { FakeArxiv } from '../test/fakes/arxiv-server.ts';
import { FakeDiscord } from '../test/fakes/discord/fake-discord.ts';
import { FakeSlackApi } from '../test/fakes/slack-api.ts';
import { FakeSmtp } from '../test/fakes/smtp-server.ts';
import { spawnCli } from '../test/helpers/cli-process.ts';
import { emailDayEnv, emailLedger, seedEmailDay } from '../test/helpers/email-day.ts';
import type { Benchmark } from './run.ts';

const ROUNDS = 3;

type Measured = { ms: number; code: number | null; note: string };

async function inTempDir<T>(work: (dir: string, arxiv: FakeArxiv, smtp: FakeSmtp) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'lmsys-stop-bench-'));
  const arxiv = await FakeArxiv.start();
  const smtp = await FakeSmtp.start();
  try {
    return await work(dir, arxiv, smtp);
  } finally {
    await arxiv.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function serveEnv(dir: string, arxiv: FakeArxiv): Record<string, string> {
  return {
    DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`,
    ARXIV_RSS_URL: arxiv.rssUrl,
    ARXIV_API_URL: arxiv.apiUrl,
    WEB_HOST: '127.0.0.1',
    WEB_PORT: '0',
    LOG_LEVEL: 'info',
  };
}

function serveFailingFetch(): Promise<Measured> {
  return inTempDir(async (dir, arxiv) => {
    arxiv.outage = 503;
    const serve = spawnCli(['serve'], serveEnv(dir, arxiv), dir);
    await serve.until(/arxiv request failed, retrying/);
    const sent = serve.signal('SIGTERM');
    const exit = await serve.exited;
    return { ms: exit.at - sent, code: exit.code, note: `${arxiv.requests.length} arXiv request(s)` };
  });
}

function serveSlackRefused(): Promise<Measured> {
  return inTempDir(async (dir, arxiv) => {
    // No Socket Mode URL to hand out: apps.connections.open fails, and the Slack SDK tries again.
    const slack = await FakeSlackApi.start();
    try {
      const env = {
        ...serveEnv(dir, arxiv),
        DIGEST_CRON: 'off',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        SLACK_API_URL: slack.apiUrl,
      };
      const serve = spawnCli(['serve'], env, dir);
      await slack.waitForCall('apps.connections.open');
      const sent = serve.signal('SIGTERM');
      const exit = await serve.exited;
      return {
        ms: exit.at - sent,
        code: exit.code,
        note: `${slack.calls.filter((call) => call.method === 'apps.connections.open').length} apps.connections.open calls`,
      };
    } finally {
      await slack.close();
    }
  });
}

function serveDiscordUnreachable(): Promise<Measured> {
  return inTempDir(async (dir, arxiv) => {
    const discord = await FakeDiscord.start();
    // /gateway/bot still answers with the gateway's address, but nothing listens there any more.
    Object.defineProperty(discord.gateway, 'url', { value: discord.gateway.url });
    await discord.gateway.close();
    try {
      const env = {
        ...serveEnv(dir, arxiv),
        DIGEST_CRON: 'off',
        DISCORD_TOKEN: discord.token,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
      };
      const serve = spawnCli(['serve'], env, dir);
      await discord.rest.waitFor((request) => request.path.startsWith('/gateway'));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const sent = serve.signal('SIGTERM');
      const exit = await serve.exited;
      return { ms: exit.at - sent, code: exit.code, note: 'gateway address refuses connections' };
    } finally {
      await discord.rest.close();
    }
  });
}

function serveIdle(): Promise<Measured> {
  return inTempDir(async (dir, arxiv) => {
    const serve = spawnCli(['serve'], { ...serveEnv(dir, arxiv), DIGEST_CRON: 'off' }, dir);
    await serve.until(/is running/);
    const sent = serve.signal('SIGTERM');
    const exit = await serve.exited;
    return { ms: exit.at - sent, code: exit.code, note: 'web page up, no daily job' };
  });
}

function digestEnv(dir: string, arxiv: FakeArxiv, smtp: FakeSmtp): Record<string, string> {
  return emailDayEnv(`sqlite://${join(dir, 'papers.db')}`, arxiv, smtp.url);
}

function digestMidSend(relayMs: number): Promise<Measured> {
  return inTempDir(async (dir, arxiv, smtp) => {
    const day = latestAnnouncementDay(new Date());
    await seedEmailDay(`sqlite://${join(dir, 'papers.db')}`, day, 20);
    smtp.dataDelayMs = relayMs;
    const digest = spawnCli(['digest'], digestEnv(dir, arxiv, smtp), dir);
    await smtp.dataBegun(2);
    const sent = digest.signal('SIGTERM');
    const exit = await digest.exited;
    const rows = await emailLedger(`sqlite://${join(dir, 'papers.db')}`, day);
    const count = (status: string) => rows.filter((row) => row.status === status).length;
    return {
      ms: exit.at - sent,
      code: exit.code,
      note: `relay ${relayMs} ms/message: ${smtp.received.length} received, ledger ${count('sent')} sent, ${count('claimed')} claimed, ${20 - rows.length} not started`,
    };
  });
}

function secondSignal(): Promise<Measured> {
  return inTempDir(async (dir, arxiv, smtp) => {
    const day = latestAnnouncementDay(new Date());
    await seedEmailDay(`sqlite://${join(dir, 'papers.db')}`, day, 20);
    smtp.dataDelayMs = 20_000;
    const digest = spawnCli(['digest'], digestEnv(dir, arxiv, smtp), dir);
    await smtp.dataBegun(2);
    digest.signal('SIGTERM');
    await digest.until(/stopping/);
    const sent = digest.signal('SIGTERM');
    const exit = await digest.exited;
    return { ms: exit.at - sent, code: exit.code, note: 'relay hangs 20 s per message; time from the second SIGTERM' };
  });
}

async function measure(label: string, run: () => Promise<Measured>): Promise<void> {
  const runs: Measured[] = [];
  for (let round = 0; round < ROUNDS; round++) runs.push(await run());
  const times = runs.map((entry) => entry.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(
    `${label.padEnd(40)} SIGTERM→exit median ${median.toFixed(0)} ms (min ${times[0]?.toFixed(0)}, max ${times.at(-1)?.toFixed(0)}), exit ${runs.map((entry) => entry.code).join('/')} — ${runs[0]?.note}`,
  );
}

export const stopBench: Benchmark = {
  name: 'stop',
  summary: 'SIGTERM-to-exit of real child processes: serve with arXiv failing, Slack refused, Discord unreachable, idle; digest mid-send; a second SIGTERM',
  async run() {
    await measure('serve, arXiv answering 503', serveFailingFetch);
    await measure('serve, Slack connection refused', serveSlackRefused);
    await measure('serve, Discord gateway unreachable', serveDiscordUnreachable);
    await measure('serve, idle', serveIdle);
    await measure('digest, mid-send', () => digestMidSend(1500));
    await measure('digest, second SIGTERM while sends hang', secondSignal);
  },
};
