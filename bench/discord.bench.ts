import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import PQueue from 'p-queue';
import { openApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { SendResult } from '../src/domain/delivery.ts';
import type { PaperView } from '../src/domain/reply.ts';
import { createLogger } from '../src/log.ts';
import { cacheActionStore } from '../src/platforms/discord/action-store.ts';
import { createDiscordMessenger } from '../src/platforms/discord/discord-messenger.ts';
import { discordPart } from '../src/platforms/discord/discord-part.ts';
import { createDiscordRest } from '../src/platforms/discord/discord-rest.ts';
import { startDiscord } from '../src/platforms/discord/start-discord.ts';
import { openCache } from '../src/store/cache.ts';
import { Database } from '../src/store/db.ts';
import { FakeDiscord } from '../test/fakes/discord/fake-discord.ts';
import { FakeCommandPort } from '../test/platforms/discord/fake-command-port.ts';
import type { Benchmark } from './run.ts';
import { QUERY_MIX } from './search-probe.ts';
import { generateSyntheticArchive } from './synthetic-archive.ts';

const RECIPIENTS = Number(process.env.BENCH_DISCORD_RECIPIENTS ?? 500);
const CLOSED_EVERY = 100;
const INTERACTIONS = 1000;
const ARCHIVE_PAPERS = Number(process.env.BENCH_DISCORD_PAPERS ?? 100_000);
const ARCHIVE_ROUNDS = 10;
const BURST = 20;

function paper(index: number): PaperView {
  const id = `2512.${String(10000 + index).padStart(5, '0')}`;
  return {
    id,
    version: 1,
    title: `Expert offloading for MoE serving at scale, part ${index}`,
    url: `https://arxiv.org/abs/${id}v1`,
    pdfUrl: `https://arxiv.org/pdf/${id}v1`,
    authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
    tags: ['MoE', 'serving', 'offloading'],
    day: '2025-12-18',
    tldr: 'Moves cold experts to CPU memory and prefetches them ahead of the router, for 2.1× higher decode throughput at the same latency.',
    reasons: ['MoE'],
  };
}

/**
 * DM fan-out against the fake with Discord's published limits: 50 requests/s globally, 5 messages
 * per 5 s per channel (each DM is its own channel). Every recipient must be accounted for: sent, or
 * refused permanently with a reason (one in a hundred has DMs closed). Nothing may be lost.
 */
async function dmFanOut(): Promise<void> {
  const fake = await FakeDiscord.start();
  try {
    fake.rest.rateLimit([{ route: /^POST \/channels\/\d+\/messages$/, bucket: 'channel-messages', limit: 5, windowMs: 5000 }], 50);
    const users = Array.from({ length: RECIPIENTS }, (_, index) => String(1_200_000_000_000_000_000n + BigInt(index)));
    for (const [index, user] of users.entries()) if (index % CLOSED_EVERY === CLOSED_EVERY - 1) fake.rest.closedDms.add(user);
    const messenger = createDiscordMessenger({ rest: createDiscordRest(fake.apiUrl, fake.token), log: createLogger('silent') });
    const alert = { day: '2025-12-18', papers: [paper(1), paper(2), paper(3)] };
    const queue = new PQueue({ concurrency: 32 });
    const results = new Map<string, SendResult>();
    const start = performance.now();
    await Promise.all(users.map((user) => queue.add(async () => results.set(user, await messenger.sendAlert(user, alert)))));
    const seconds = (performance.now() - start) / 1000;

    const sent = [...results.values()].filter((result) => result.ok).length;
    const refused = [...results.values()].filter((result) => !result.ok && result.permanent).length;
    const delivered = users.filter((user) => (fake.rest.posted.get(fake.rest.dmChannels.get(user) ?? '') ?? []).length === 1).length;
    console.log(`recipients: ${RECIPIENTS} (1 in ${CLOSED_EVERY} with DMs closed); one alert of 3 papers each = 2 requests (open DM, post)`);
    console.log(
      `fan-out: ${seconds.toFixed(1)} s → ${(RECIPIENTS / seconds).toFixed(1)} DMs/s, ${(fake.rest.requests.length / seconds).toFixed(1)} requests/s (limit 50/s)`,
    );
    console.log(`accounted: ${sent} sent + ${refused} refused permanently = ${sent + refused} of ${RECIPIENTS}; lost: ${RECIPIENTS - sent - refused}`);
    console.log(
      `delivered exactly once (checked at the fake): ${delivered}; 429 answers: ${fake.rest.statusCounts.get(429) ?? 0} of ${fake.rest.requests.length} requests`,
    );
  } finally {
    await fake.close();
  }
}

/**
 * The adapter's share of interaction-to-first-response, in process: from the gateway dispatch of a
 * /papers INTERACTION_CREATE to the fake receiving the callback, through discord.js, the handler,
 * the renderer (8 paper embeds, a stored "More" button) and the REST queue, with a command core that
 * answers at once. The command core's own time on a 100k archive adds to this (its benchmark).
 */
async function interactionOverhead(): Promise<void> {
  const fake = await FakeDiscord.start();
  const port = new FakeCommandPort();
  const papers = Array.from({ length: 8 }, (_, index) => paper(index));
  port.answer = () => ({
    text: 'Papers tagged `MoE` from last week: 1–8 (more below), newest first.',
    papers,
    private: true,
    actions: [{ kind: 'more', command: 'papers', cursor: 'x'.repeat(300) }],
  });
  const bot = await startDiscord({
    apiUrl: fake.apiUrl,
    token: fake.token,
    port,
    store: cacheActionStore(openCache('sqlite://:memory:', 'discord-actions')),
    log: createLogger('silent'),
  });
  try {
    const times: number[] = [];
    for (let round = 0; round < INTERACTIONS + 50; round++) {
      const start = performance.now();
      let token = '';
      const answered = fake.rest.waitFor((request) => token !== '' && request.path.includes(`/${token}/callback`));
      token = String(fake.interact('interaction-papers-command').token);
      await answered;
      if (round >= 50) times.push(performance.now() - start); // the first 50 warm up the JIT
    }
    times.sort((a, b) => a - b);
    const at = (share: number) => (times[Math.min(times.length - 1, Math.floor(share * times.length))] as number).toFixed(2);
    console.log(
      `interaction → first response (adapter only, instant core, ${INTERACTIONS} sequential /papers): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
    );
  } finally {
    await bot.stop();
    await fake.close();
  }
}

type FirstResponse = { readonly ms: number; readonly callbackType: number; readonly moreButton?: string };

/**
 * Interaction-to-first-response on a 100,000-paper synthetic archive, everything real but Discord:
 * the Discord part as `serve` starts it (discord.js client, the command registry, buttons kept in the
 * archive's cache) over the fake. Each /papers of the search benchmark's 20-query mix is sent as an
 * INTERACTION_CREATE, then its "More results" is pressed (a cursor page); the clock runs from the
 * gateway dispatch to the fake receiving the first callback (an answer, or a deferral if it took more
 * than 1.5 s). Sequential (one person at a time), then in bursts of 20 at once (a busy server).
 */
async function interactionOnArchive(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lmsys-bench-discord-'));
  const fake = await FakeDiscord.start();
  try {
    const path = join(dir, 'archive.db');
    const db = await Database.open(`sqlite://${path}`);
    const archive = await generateSyntheticArchive(db, { papers: ARCHIVE_PAPERS });
    await db.close();
    const config = loadConfig({
      DATABASE_URL: `sqlite://${path}`,
      LOG_LEVEL: 'silent',
      DIGEST_TIMEZONE: 'Asia/Shanghai',
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
    });
    const now = () => new Date('2025-12-19T01:30:00Z');
    const app = await openApp(config, createLogger('silent'), { now });
    const io = {
      env: {},
      stdout: new Writable({ write: (_c, _e, done) => done() }),
      stderr: new Writable({ write: (_c, _e, done) => done() }),
      stdin: Readable.from([]),
    };
    fake.rest.setMaxListeners(BURST + 10); // a waiter per interaction of a burst
    const part = await discordPart.start({ app, io, signal: new AbortController().signal, requestStop: () => {}, messengers: [] });
    try {
      const search = (query: string) =>
        firstResponse(fake, 'interaction-papers-command', (payload) => {
          ((payload.data as { options: { value: string }[] }).options[0] as { value: string }).value = query;
        });
      const more = (customId: string) =>
        firstResponse(fake, 'interaction-more-button', (payload) => {
          (payload.data as Record<string, unknown>).custom_id = customId;
        });
      const sequential = { search: [] as FirstResponse[], more: [] as FirstResponse[] };
      for (let round = -1; round < ARCHIVE_ROUNDS; round++) {
        for (const query of QUERY_MIX) {
          const first = await search(query);
          const next = first.moreButton ? await more(first.moreButton) : null;
          if (round < 0) continue; // the first round warms up the JIT and SQLite's page cache
          sequential.search.push(first);
          if (next) sequential.more.push(next);
        }
      }
      const bursts: FirstResponse[] = [];
      for (let round = 0; round < ARCHIVE_ROUNDS; round++) bursts.push(...(await Promise.all(QUERY_MIX.slice(0, BURST).map(search))));

      console.log(
        `\narchive: ${archive.papers.toLocaleString('en-US')} papers (${archive.firstDay} … ${archive.lastDay}); the Discord part of serve, real registry, fake Discord on loopback`,
      );
      console.log(`interaction → first response, ${QUERY_MIX.length} /papers queries × ${ARCHIVE_ROUNDS} rounds:`);
      console.log(`  /papers one at a time:            ${figures(sequential.search)}`);
      console.log(`  "More results" (cursor page 2):   ${figures(sequential.more)}`);
      console.log(`  /papers in bursts of ${BURST} at once:  ${figures(bursts)}`);
    } finally {
      await part?.stop();
      await app.close();
    }
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function firstResponse(fake: FakeDiscord, fixture: string, change: (payload: Record<string, unknown>) => void): Promise<FirstResponse> {
  let token = '';
  const answered = fake.rest.waitFor((request) => token !== '' && request.path.endsWith(`/${token}/callback`));
  const start = performance.now();
  token = String(fake.interact(fixture, change).token);
  const callback = (await answered).body as { type: number; data?: { components?: { components: { label: string; custom_id: string }[] }[] } };
  const ms = performance.now() - start;
  const moreButton = callback.data?.components?.[0]?.components.find((button) => button.label === 'More results')?.custom_id;
  return { ms, callbackType: callback.type, moreButton };
}

function figures(responses: readonly FirstResponse[]): string {
  const times = responses.map((response) => response.ms).sort((a, b) => a - b);
  const at = (share: number) => (times[Math.min(times.length - 1, Math.ceil(share * times.length) - 1)] as number).toFixed(1);
  const deferred = responses.filter((response) => response.callbackType === 5 || response.callbackType === 6).length;
  return `n ${times.length}, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; deferred ${deferred}`;
}

export const discordBench: Benchmark = {
  name: 'discord',
  summary: 'Discord interaction-to-first-response (adapter share, then on a 100k archive) and DM fan-out under Discord-style rate limits',
  async run() {
    await interactionOverhead();
    await interactionOnArchive();
    await dmFanOut();
  },
};
