/**
 * What per-person models cost at 5,000 people on a 100,000-paper archive: composing one day's
 * picks for all of them, the time from a vote to the voter's retrained model, the models' memory,
 * and /papers for a person with a model next to one without.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type CommandContext, commandServices } from '../commands/command.ts';
import { papersCommand } from '../commands/papers.ts';
import { runCommand } from '../commands/run-command.ts';
import { type App, openApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { relevantNewPapers } from '../src/delivery/compose-digests.ts';
import { addPicks } from '../src/delivery/compose-picks.ts';
import { indexDay, scoreDay } from '../src/domain/day-index.ts';
import { personalFeatures } from '../src/domain/personal-model.ts';
import { createLogger } from '../src/log.ts';
import { recordVote } from '../src/pipeline/apply-vote.ts';
import { paperText, refreshPersonModel } from '../src/pipeline/refresh-person-model.ts';
import { Database } from '../src/store/db.ts';
import { papersAnnouncedOn } from '../src/store/papers.ts';
import { loadPersonModels, savePersonModel, trainingState } from '../src/store/person-models.ts';
import type { Voter } from '../src/store/votes.ts';
import { mulberry32 } from './realistic-day.ts';
import { QUERY_MIX } from './search-probe.ts';
import { generateSyntheticArchive } from './synthetic-archive.ts';

const PAPERS = 100_000;
const PEOPLE = 5_000;
/** Distinct tastes; each is shared by PEOPLE / PROFILES people, who each get their own stored model. */
const PROFILES = 250;
const LIKES = 20;
const DISLIKES = 10;
const VOTES_TIMED = 200;
const SEARCH_ROUNDS = 10;
const NOW = new Date('2025-12-19T01:30:00Z');

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

export async function personalCost(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lmsys-bench-personal-'));
  try {
    const path = join(dir, 'archive.db');
    const generator = await Database.open(`sqlite://${path}`);
    const archive = await generateSyntheticArchive(generator, { papers: PAPERS });
    await generator.close();
    const app = await openApp(loadConfig({ DATABASE_URL: `sqlite://${path}`, LOG_LEVEL: 'silent' }), createLogger('silent'), { now: () => NOW });
    try {
      console.log(
        `\ncost on a ${PAPERS.toLocaleString('en-US')}-paper synthetic archive (${archive.firstDay} … ${archive.lastDay}), ${PEOPLE.toLocaleString('en-US')} people:`,
      );
      const people = await seedPeople(app);
      await dayOfPicks(app, archive.lastDay, people);
      await memory(app, people);
      await voteToModel(app, people[0] as Voter);
      await searchCost(app, people[1] as Voter);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * 5,000 people with 20 👍 on papers of two tags they like and 10 👎 on others, picks on. Each of
 * 250 tastes is trained once through the real retrain and stored for its 20 people (the same
 * votes, so the same model, each person with their own row).
 */
async function seedPeople(app: App): Promise<Voter[]> {
  const random = mulberry32(5);
  const byTag = new Map<string, string[]>();
  for (const row of await app.db.all<{ tag: string; paper_id: string }>('SELECT tag, paper_id FROM paper_tags')) {
    const list = byTag.get(row.tag) ?? [];
    list.push(row.paper_id);
    byTag.set(row.tag, list);
  }
  const tags = [...byTag.keys()];
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const people: Voter[] = Array.from({ length: PEOPLE }, (_, index) => ({ platform: 'slack', userId: `U${index}` }));
  const stamp = NOW.toISOString();
  const started = performance.now();
  await app.db.transaction(async (tx) => {
    for (let profile = 0; profile < PROFILES; profile++) {
      const liked = [pick(tags), pick(tags)];
      const likes = new Set<string>();
      while (likes.size < LIKES) likes.add(pick(byTag.get(pick(liked)) ?? []));
      const dislikes = new Set<string>();
      while (dislikes.size < DISLIKES) {
        const other = pick(tags);
        if (!liked.includes(other)) dislikes.add(pick(byTag.get(other) ?? []));
      }
      for (let member = profile; member < PEOPLE; member += PROFILES) {
        const person = people[member] as Voter;
        const rows = [...[...likes].map((id) => [id, 1]), ...[...dislikes].filter((id) => !likes.has(id)).map((id) => [id, -1])];
        for (const [paperId, value] of rows) {
          await tx.run("INSERT INTO votes (platform, user_id, paper_id, value, source, created_at, updated_at) VALUES (?, ?, ?, ?, 'digest', ?, ?)", [
            person.platform,
            person.userId,
            paperId as string,
            value as number,
            stamp,
            stamp,
          ]);
        }
        await tx.run('INSERT INTO pick_subscriptions (platform, user_id, created_at) VALUES (?, ?, ?)', [person.platform, person.userId, stamp]);
      }
    }
  });
  const retrains: number[] = [];
  for (let profile = 0; profile < PROFILES; profile++) {
    const leader = people[profile] as Voter;
    const began = performance.now();
    const status = await refreshPersonModel(app.db, leader, NOW);
    retrains.push(performance.now() - began);
    if (status.kind !== 'ready') continue;
    for (let member = profile + PROFILES; member < PEOPLE; member += PROFILES) {
      const person = people[member] as Voter;
      await savePersonModel(app.db, person, status.model, await trainingState(app.db, person), NOW);
    }
  }
  console.log(
    `- set-up: ${((LIKES + DISLIKES) * PEOPLE).toLocaleString('en-US')} votes and ${PEOPLE.toLocaleString('en-US')} models in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `a retrain from the archive (30 votes + 50 background papers) p50 ${ms(percentile(retrains, 50))}, p99 ${ms(percentile(retrains, 99))}`,
  );
  return people;
}

/** The picks of one announcement day for everyone, as the daily run composes them, and the scoring alone. */
async function dayOfPicks(app: App, day: string, people: readonly Voter[]): Promise<void> {
  const listing = await papersAnnouncedOn(app.db, day);
  const fresh = relevantNewPapers(listing).map((item) => item.paper);
  const times: number[] = [];
  let picked = 0;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    const plans = await addPicks(app.db, day, listing, [], NOW);
    times.push(performance.now() - started);
    picked = plans.reduce((sum, plan) => sum + (plan.outgoing.kind === 'alert' ? (plan.outgoing.message.picks?.length ?? 0) : 0), 0);
  }
  const models = await loadPersonModels(app.db, people);
  const scoring: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const day = indexDay(fresh.map((paper) => personalFeatures(paperText(paper))));
    const scratch = new Float64Array(day.words.size);
    for (const stored of models.values()) scoreDay(day, stored.model, scratch);
    scoring.push(performance.now() - started);
  }
  console.log(
    `- one day's picks (${fresh.length} relevant new papers) for ${people.length.toLocaleString('en-US')} people, as the daily run composes them ` +
      `(read the models, check them current, score, leave out what each has seen, explain each pick): ${ms(Math.min(...times))} (best of 3; ` +
      `${picked.toLocaleString('en-US')} picks); the scoring alone (${(models.size * fresh.length).toLocaleString('en-US')} scores, the day's words indexed once): ${ms(percentile(scoring, 50))}`,
  );
}

async function memory(app: App, people: readonly Voter[]): Promise<void> {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const models = await loadPersonModels(app.db, people);
  gc();
  const after = process.memoryUsage().heapUsed;
  const weights = [...models.values()].map((stored) => stored.model.weights.size);
  const stored = await app.db.get<{ bytes: number }>("SELECT SUM(length(model)) AS bytes FROM text_models WHERE name LIKE 'person:%'");
  console.log(
    `- memory: ${models.size.toLocaleString('en-US')} models loaded take ${((after - before) / 2 ** 20).toFixed(1)} MiB of heap ` +
      `(${(weights.reduce((sum, size) => sum + size, 0) / weights.length).toFixed(0)} weights each on average, max ${Math.max(...weights)}); ` +
      `${((stored?.bytes ?? 0) / 2 ** 20).toFixed(1)} MiB as JSON in the archive. The daily run reads them for the people with picks on, and lets them go after.`,
  );
  if (models.size !== people.length) console.log(`  (${people.length - models.size} people had no model)`);
  models.clear();
}

/** recordVote as a button click calls it: the vote, the group label, and the voter's retrain, for a person with 100 alerted papers. */
async function voteToModel(app: App, person: Voter): Promise<void> {
  const alerted = await app.db.all<{ id: string }>('SELECT id FROM papers ORDER BY pk DESC LIMIT 100 OFFSET 500');
  await app.db.transaction(async (tx) => {
    for (const [index, paper] of alerted.entries()) {
      const day = `2025-09-${String(1 + Math.floor(index / 4)).padStart(2, '0')}`;
      const row = await tx.run(
        "INSERT INTO deliveries (kind, platform, target, day, status, attempts, claimed_at, updated_at) VALUES ('alert', ?, ?, ?, 'sent', 1, ?, ?) ON CONFLICT DO NOTHING",
        [person.platform, person.userId, day, NOW.toISOString(), NOW.toISOString()],
      );
      const id = row.changes
        ? row.lastId
        : (await tx.get<{ id: number }>('SELECT id FROM deliveries WHERE platform = ? AND target = ? AND day = ?', [person.platform, person.userId, day]))?.id;
      await tx.run('INSERT INTO delivery_papers (delivery_id, position, paper_id, version, is_update, reasons) VALUES (?, ?, ?, 1, 0, \'["serving"]\')', [
        id as number,
        index,
        paper.id,
      ]);
    }
  });
  const targets = await app.db.all<{ id: string }>('SELECT id FROM papers ORDER BY pk DESC LIMIT ? OFFSET 2000', [VOTES_TIMED]);
  const deps = { db: app.db, now: () => NOW, tagsFor: app.classify.keywords.tagsFor, log: app.log };
  const times: number[] = [];
  for (const [index, paper] of targets.entries()) {
    const started = performance.now();
    await recordVote(deps, { ...person, paperId: paper.id, value: index % 3 ? 'relevant' : 'not-relevant', source: 'digest' });
    times.push(performance.now() - started);
  }
  console.log(
    `- a vote to the voter's updated model (recordVote: the vote, the group's label, the retrain from the archive and its write), ` +
      `${VOTES_TIMED} votes of one person going from 30 to ${30 + VOTES_TIMED} votes, with 100 alerted papers (the newest 50 learned from): p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}, max ${ms(Math.max(...times))}`,
  );
}

/** The search benchmark's query mix through /papers, for a person with a model (near-ties in their order) and one without. */
async function searchCost(app: App, person: Voter): Promise<void> {
  const context = (userId: string): CommandContext => ({
    caller: { platform: 'slack', userId, displayName: 'bench', channelId: null, canAdministerChannel: false, timeZone: null },
    now: () => NOW,
    services: commandServices(app),
  });
  const withModel = context(person.userId);
  const without = context('nobody');
  const times = { withModel: [] as number[], without: [] as number[] };
  for (let round = -2; round < SEARCH_ROUNDS; round++) {
    for (const query of QUERY_MIX) {
      for (const [name, ctx] of [
        ['withModel', withModel],
        ['without', without],
      ] as const) {
        const started = performance.now();
        await runCommand(papersCommand, ctx, { text: query });
        if (round >= 0) times[name].push(performance.now() - started);
      }
    }
  }
  const forMe: number[] = [];
  for (let round = 0; round < SEARCH_ROUNDS; round++) {
    const started = performance.now();
    await runCommand(papersCommand, withModel, { text: 'for me' });
    forMe.push(performance.now() - started);
  }
  console.log(
    `- /papers, the search benchmark's ${QUERY_MIX.length} queries × ${SEARCH_ROUNDS}: a person with a model (near-ties in their order) p50 ${ms(percentile(times.withModel, 50))}, ` +
      `p99 ${ms(percentile(times.withModel, 99))}; without one p50 ${ms(percentile(times.without, 50))}, p99 ${ms(percentile(times.without, 99))}. ` +
      `/papers for me (the last 7 days): p50 ${ms(percentile(forMe, 50))}, p99 ${ms(percentile(forMe, 99))}`,
  );
}
