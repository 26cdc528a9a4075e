/**
 * Time from a signed `/papers` request to Bolt's ack, in-process, over HTTP mode against a
 * 100,000-paper archive — plus, for context, the time until the answer reached the response_url.
 * The ack goes out before the command runs, so what can slow it is the event loop being busy
 * with other commands' searches, which the loaded runs provoke on purpose.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, commandServices } from '../commands/index.ts';
import { type App, openApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { registryRunner } from '../src/platforms/slack/registry-runner.ts';
import { type SlackHandle, startSlack } from '../src/platforms/slack/start-slack.ts';
import { Database } from '../src/store/db.ts';
import { FakeSlackApi } from '../test/fakes/slack-api.ts';
import { postSigned, slashCommandBody } from '../test/fakes/slack-signing.ts';
import { QUERY_MIX } from './search-probe.ts';
import { generateSyntheticArchive } from './synthetic-archive.ts';

const PAPERS = 100_000;
const REQUESTS = 1_000;
const WARM_UP = 40;
const PEOPLE = 25;
const SECRET = 'bench-signing-secret';

type Sample = { readonly ackMs: number; readonly answerMs: number };

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

type Rig = {
  readonly fake: FakeSlackApi;
  readonly eventsUrl: string;
  /** Resolvers of the answers still awaited, by response_url id. */
  readonly awaited: Map<string, () => void>;
};

let sent = 0;

/** One signed /papers request: resolves at the ack, and again (`answered`) when its answer arrived. */
async function papersRequest(rig: Rig): Promise<{ ackMs: number; answered: Promise<number> }> {
  sent += 1;
  const id = `bench-${sent}`;
  const body = slashCommandBody({
    command: '/papers',
    text: QUERY_MIX[sent % QUERY_MIX.length] as string,
    user_id: `U${1000 + (sent % PEOPLE)}`,
    channel_id: 'C100',
    response_url: rig.fake.responseUrl(id),
  });
  const started = performance.now();
  const answered = new Promise<number>((resolve) => {
    rig.awaited.set(id, () => resolve(performance.now() - started));
  });
  const ack = await postSigned(rig.eventsUrl, SECRET, body);
  await ack.text();
  const ackMs = performance.now() - started;
  if (ack.status !== 200) throw new Error(`ack was HTTP ${ack.status}`);
  return { ackMs, answered };
}

/** `clients` senders, each sending its share of `count` requests one after another, waiting for the answer or only the ack. */
async function run(rig: Rig, count: number, clients: number, waitForAnswer: boolean): Promise<Sample[]> {
  const samples: Sample[] = [];
  const pending: Promise<void>[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let index = client; index < count; index += clients) {
        const { ackMs, answered } = await papersRequest(rig);
        const recorded = answered.then((answerMs) => void samples.push({ ackMs, answerMs }));
        if (waitForAnswer) await recorded;
        else pending.push(recorded);
      }
    }),
  );
  await Promise.all(pending);
  return samples;
}

function report(label: string, samples: readonly Sample[]): void {
  const acks = samples.map((sample) => sample.ackMs);
  const answers = samples.map((sample) => sample.answerMs);
  const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(9);
  console.log(
    `${label.padEnd(52)} ack p50 ${ms(percentile(acks, 50))} p99 ${ms(percentile(acks, 99))} max ${ms(Math.max(...acks))}` +
      ` · answer p50 ${ms(percentile(answers, 50))} p99 ${ms(percentile(answers, 99))}  (n=${samples.length})`,
  );
}

export async function ackTimeRun(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lmsys-bench-slack-'));
  const fake = await FakeSlackApi.start();
  fake.botTokens.add('xoxb-bench');
  for (let person = 0; person < PEOPLE; person++) fake.users.set(`U${1000 + person}`, { id: `U${1000 + person}`, tz: 'Asia/Shanghai' });
  let app: App | null = null;
  let slack: SlackHandle | null = null;
  try {
    const path = join(dir, 'archive.db');
    const generating = await Database.open(`sqlite://${path}`);
    const archive = await generateSyntheticArchive(generating, { papers: PAPERS });
    await generating.close();
    console.log(
      `\narchive: ${archive.papers.toLocaleString('en-US')} papers (${archive.firstDay} … ${archive.lastDay}), generated in ${(archive.ms / 1000).toFixed(1)} s`,
    );

    const config = loadConfig({
      DATABASE_URL: `sqlite://${path}`,
      LOG_LEVEL: 'silent',
      DIGEST_TIMEZONE: 'Asia/Shanghai',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_MODE: 'http',
      SLACK_API_URL: fake.apiUrl,
    });
    const now = () => new Date('2025-12-19T01:30:00Z');
    app = await openApp(config, createLogger('silent'), { now });
    slack = await startSlack(config, app.log, {
      runner: registryRunner(COMMANDS, commandServices(app), now),
      listen: { port: 0, host: '127.0.0.1' },
    });
    if (!slack) throw new Error('slack did not start');
    const rig: Rig = { fake, eventsUrl: `http://127.0.0.1:${slack.port}/slack/events`, awaited: new Map() };
    // The fake emits one event per answer, after recording it last.
    fake.on('response', () => {
      const id = fake.responses.at(-1)?.id ?? '';
      rig.awaited.get(id)?.();
      rig.awaited.delete(id);
    });

    console.log(
      `signed /papers requests (${QUERY_MIX.length} queries of the search mix, ${PEOPLE} people) into Bolt's HTTP receiver on 127.0.0.1, the real command registry behind it:`,
    );
    await run(rig, WARM_UP, 1, true);
    report(`${REQUESTS.toLocaleString('en-US')} one at a time (next after the answer)`, await run(rig, REQUESTS, 1, true));
    report(`${REQUESTS.toLocaleString('en-US')} from 8 clients (each waits for its answer)`, await run(rig, REQUESTS, 8, true));
    report(`${REQUESTS.toLocaleString('en-US')} from 8 clients, acks only (commands pile up)`, await run(rig, REQUESTS, 8, false));
    const answers = fake.responses.map((response) => String(response.body.text));
    const failed = answers.filter((text) => text.startsWith('Sorry')).length;
    const withPapers = fake.responses.filter((response) => JSON.stringify(response.body.blocks ?? []).includes('arxiv.org/abs/')).length;
    console.log(`answers: ${answers.length} (${withPapers} with papers, ${failed} apologies for errors)`);
  } finally {
    await slack?.stop();
    await app?.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
