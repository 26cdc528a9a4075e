/**
 * Vote handling: the time from a click to its private answer, in-process, over a generated
 * 100,000-paper archive with the real command registry — a Slack ⋯-menu pick (a block_actions
 * envelope over Socket Mode into Bolt, answered on the response_url of the fake Web API), a Discord
 * vote button (INTERACTION_CREATE over the fake gateway into discord.js, answered with the
 * interaction callback on the fake REST API), and `/like` at the console (the command alone).
 * Votes alternate relevant / not relevant / take back over random papers, from 100 people, so
 * nobody meets the 30-a-minute limit. A last run times /like by people who each already have a
 * personal model, which every vote of theirs retrains before the answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, commandServices, runCommand } from '../commands/index.ts';
import { likeCommand } from '../commands/like.ts';
import { type App, openApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { recordVote } from '../src/pipeline/apply-vote.ts';
import { cacheActionStore } from '../src/platforms/discord/action-store.ts';
import { registryPort } from '../src/platforms/discord/registry-port.ts';
import { startDiscord } from '../src/platforms/discord/start-discord.ts';
import { registryRunner } from '../src/platforms/slack/registry-runner.ts';
import { startSlack } from '../src/platforms/slack/start-slack.ts';
import { openCache } from '../src/store/cache.ts';
import { Database } from '../src/store/db.ts';
import { FakeDiscord } from '../test/fakes/discord/fake-discord.ts';
import { FakeSlackApi } from '../test/fakes/slack-api.ts';
import { menuPickPayload } from '../test/fakes/slack-signing.ts';
import { FakeSlackSocket } from '../test/fakes/slack-socket.ts';
import type { Benchmark } from './run.ts';
import { percentile } from './slack-ack-time.ts';
import { generateSyntheticArchive } from './synthetic-archive.ts';

const PAPERS = 100_000;
const CLICKS = 1_000;
const WARM_UP = 50;
const PEOPLE = 100;
const CHOICES = ['relevant', 'not-relevant', 'clear'] as const;
const CODES = { relevant: 'r', 'not-relevant': 'n', clear: 'c' } as const;

/** An answer that says what a vote did (anything else would mean the bench measured a refusal). */
const VOTED = /^(Marked|Took back|You had)/;

function report(label: string, run: Run): void {
  const { samples } = run;
  const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(9);
  const other = run.answers.filter((answer) => !VOTED.test(answer));
  const note = other.length ? `, ${other.length} not votes, e.g. ${other[0]}` : '';
  console.log(
    `${label.padEnd(58)} p50 ${ms(percentile(samples, 50))}  p99 ${ms(percentile(samples, 99))}  max ${ms(Math.max(...samples))}  (n=${samples.length}${note})`,
  );
}

/** Deterministic picks of papers, choices and people. */
function plan(ids: readonly string[], count: number): { paperId: string; choice: (typeof CHOICES)[number]; person: number }[] {
  let state = 42;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state;
  };
  return Array.from({ length: count }, (_, index) => ({
    paperId: ids[next() % ids.length] as string,
    choice: CHOICES[index % 3] as (typeof CHOICES)[number],
    person: index % PEOPLE,
  }));
}

type Run = { samples: number[]; answers: string[] };

async function slackClicks(app: App, ids: readonly string[]): Promise<Run> {
  const api = await FakeSlackApi.start();
  const socket = await FakeSlackSocket.start();
  api.socket = socket;
  api.botTokens.add('xoxb-bench');
  api.appTokens.add('xapp-bench');
  const config = loadConfig({ LOG_LEVEL: 'silent', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_APP_TOKEN: 'xapp-bench', SLACK_API_URL: api.apiUrl });
  const slack = await startSlack(config, app.log, { runner: registryRunner(COMMANDS, commandServices(app), app.now) });
  if (!slack) throw new Error('slack did not start');
  try {
    const samples: number[] = [];
    const answers: string[] = [];
    for (const [index, click] of plan(ids, WARM_UP + CLICKS).entries()) {
      const responseUrl = api.responseUrl(`vote-${index}`);
      const started = performance.now();
      const answered = api.waitForResponses(index + 1);
      await socket.deliver(
        'interactive',
        menuPickPayload({
          action_id: 'paper_menu',
          label: click.choice,
          value: `v1|${click.choice}|digest|${click.paperId}`,
          user_id: `U${1000 + click.person}`,
          channel_id: 'C100',
          response_url: responseUrl,
        }),
      );
      const [answer] = (await answered).slice(-1);
      if (index < WARM_UP) continue;
      samples.push(performance.now() - started);
      answers.push(String(answer?.body.text));
    }
    return { samples, answers };
  } finally {
    await slack.stop();
    await socket.close();
    await api.close();
  }
}

async function discordClicks(app: App, ids: readonly string[]): Promise<Run> {
  const fake = await FakeDiscord.start();
  const bot = await startDiscord({
    apiUrl: fake.apiUrl,
    token: fake.token,
    port: registryPort(COMMANDS, commandServices(app), app.now),
    store: cacheActionStore(openCache('sqlite://:memory:', 'discord-actions')),
    log: createLogger('silent'),
  });
  try {
    const samples: number[] = [];
    const answers: string[] = [];
    for (const [index, click] of plan(ids, WARM_UP + CLICKS).entries()) {
      const started = performance.now();
      const sent = fake.interact('interaction-vote-select', (payload) => {
        payload.data = { custom_id: `lp:vote:${CODES[click.choice]}:d:${click.paperId}`, component_type: 2 };
        ((payload.member as Record<string, unknown>).user as Record<string, unknown>).id = String(1_100_000_000_000_002_000n + BigInt(click.person));
      });
      const callback = await fake.rest.waitFor((request) => request.path.includes(`/${String(sent.token)}/`));
      if (index < WARM_UP) continue;
      samples.push(performance.now() - started);
      answers.push(String((callback.body?.data as { content?: string } | undefined)?.content));
    }
    return { samples, answers };
  } finally {
    await bot.stop();
    await fake.close();
  }
}

/**
 * Gives each of the people `prefix-0` … a personal model before the clicks are timed (6 👍, 3 👎:
 * past the 5 + 3 gate), so each timed vote also retrains the voter's model before the answer.
 */
async function seedModels(app: App, ids: readonly string[], prefix: string): Promise<number> {
  const deps = { db: app.db, now: app.now, tagsFor: app.classify.keywords.tagsFor, log: app.log };
  let models = 0;
  for (let person = 0; person < PEOPLE; person++) {
    let last: Awaited<ReturnType<typeof recordVote>> | null = null;
    for (let vote = 0; vote < 9; vote++) {
      const paperId = ids[(person * 7_919 + vote * 104_729) % ids.length] as string;
      last = await recordVote(deps, {
        platform: 'console',
        userId: `${prefix}-${person}`,
        paperId,
        value: vote < 6 ? 'relevant' : 'not-relevant',
        source: 'command',
      });
    }
    if (last?.personal?.kind === 'ready') models++;
  }
  return models;
}

async function consoleLikes(app: App, ids: readonly string[], prefix = 'person'): Promise<Run> {
  const services = commandServices(app);
  const samples: number[] = [];
  const answers: string[] = [];
  for (const [index, click] of plan(ids, WARM_UP + CLICKS).entries()) {
    const caller = {
      platform: 'console' as const,
      userId: `${prefix}-${click.person}`,
      displayName: 'bench',
      channelId: null,
      canAdministerChannel: false,
      timeZone: null,
    };
    const started = performance.now();
    const reply = await runCommand(likeCommand, { caller, now: app.now, services }, { text: click.paperId });
    if (index < WARM_UP) continue;
    samples.push(performance.now() - started);
    answers.push(reply.text);
  }
  return { samples, answers };
}

export const votesBench: Benchmark = {
  name: 'votes',
  summary: 'a click on 👍/👎 to its private answer, in-process: Slack menu, Discord button, console /like',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-bench-votes-'));
    let app: App | null = null;
    try {
      const path = join(dir, 'archive.db');
      const generating = await Database.open(`sqlite://${path}`);
      const archive = await generateSyntheticArchive(generating, { papers: PAPERS });
      await generating.close();
      console.log(`archive: ${archive.papers.toLocaleString('en-US')} papers, generated in ${(archive.ms / 1000).toFixed(1)} s`);
      app = await openApp(loadConfig({ DATABASE_URL: `sqlite://${path}`, LOG_LEVEL: 'silent' }), createLogger('silent'), {
        now: () => new Date('2025-12-19T01:30:00Z'),
      });
      const ids = (await app.db.all<{ id: string }>('SELECT id FROM papers')).map((row) => row.id);
      console.log(`${CLICKS.toLocaleString('en-US')} votes each, one at a time (after ${WARM_UP} to warm up), ${PEOPLE} people, random papers:`);
      report('Slack: ⋯ menu pick → response_url answer (Socket Mode)', await slackClicks(app, ids));
      report('Discord: vote button → interaction callback', await discordClicks(app, ids));
      report('console: /like → reply (the command alone)', await consoleLikes(app, ids));
      const models = await seedModels(app, ids, 'modelled');
      report(`console: /like by people with a model (${models} of ${PEOPLE}; retrained per vote)`, await consoleLikes(app, ids, 'modelled'));
    } finally {
      await app?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
