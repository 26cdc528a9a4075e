import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { type DeliverDeps, retryDue } from '../../src/delivery/deliver.ts';
import { deliverDay } from '../../src/delivery/deliver-day.ts';
import { FanOut } from '../../src/delivery/fan-out.ts';
import { planDay } from '../../src/delivery/plan-day.ts';
import type { PlannedDelivery } from '../../src/delivery/planned-delivery.ts';
import type { AlertMessage, Messenger } from '../../src/domain/delivery.ts';
import { planSettings } from '../../src/run-day.ts';
import { claimNew } from '../../src/store/ledger.ts';
import { papersAnnouncedOn } from '../../src/store/papers.ts';
import { addPickSubscription, loadPersonModel } from '../../src/store/person-models.ts';
import { castVote } from '../../src/store/votes.ts';
import { FakePlatform } from '../fakes/recording-messenger.ts';
import { subscribe } from '../helpers/daily-run.ts';
import { consensusPaper, kvPaper, type Reader, storePapers, vote, voteAll } from '../helpers/readers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const clock = fixedClock('2025-12-19T10:00:00Z');
const YESTERDAY = '2025-12-17';
const DAY = '2025-12-18';
// Yesterday: what people vote on. Today: KV papers (two about eviction), consensus papers.
const voted = {
  kv: Array.from({ length: 6 }, (_, index) => kvPaper(index + 1)),
  consensus: Array.from({ length: 4 }, (_, index) => consensusPaper(index + 101)),
};
const today = {
  eviction: [kvPaper(201, 'KV cache eviction'), kvPaper(202, 'KV cache eviction')],
  kv: Array.from({ length: 7 }, (_, index) => kvPaper(211 + index, ['paged KV cache', 'KV cache compression', 'KV cache offloading'][index % 3])),
  consensus: Array.from({ length: 4 }, (_, index) => consensusPaper(301 + index)),
};
const alice: Reader = { platform: 'slack', userId: 'U1' };

async function setUp(app: App): Promise<void> {
  await storePapers(app, [...voted.kv, ...voted.consensus], YESTERDAY);
  await storePapers(app, [...today.eviction, ...today.kv, ...today.consensus], DAY);
}

async function plan(app: App): Promise<PlannedDelivery[]> {
  return planDay(app.db, DAY, await papersAnnouncedOn(app.db, DAY), planSettings(app));
}

function alertOf(plans: readonly PlannedDelivery[], reader: Reader): AlertMessage | undefined {
  const found = plans.find((plan) => plan.key.kind === 'alert' && plan.key.platform === reader.platform && plan.key.target === reader.userId);
  return found?.outgoing.kind === 'alert' ? found.outgoing.message : undefined;
}

const ids = (papers: readonly { id: string }[] | undefined) => (papers ?? []).map((paper) => paper.id);

describe('picked for you', () => {
  let app: App;
  beforeEach(async () => {
    clock.set('2025-12-19T10:00:00Z');
    app = await openTestApp({}, { now: clock.now });
    await setUp(app);
  });
  afterEach(async () => {
    await app.close();
  });

  it('GIVEN a person with picks on and enough votes THEN their alert gets up to 5 of the day’s papers their model likes, none their subscription matched, each with why', async () => {
    await subscribe(app, 'slack', 'U1', 'eviction');
    await addPickSubscription(app.db, alice, clock.now().toISOString());
    await voteAll(app, alice, voted.kv.slice(0, 5), voted.consensus.slice(0, 3));

    const alert = alertOf(await plan(app), alice);
    expect(ids(alert?.papers).sort()).toEqual(ids(today.eviction).sort());
    const picks = alert?.picks ?? [];
    expect(picks).toHaveLength(5);
    for (const pick of picks) {
      expect(ids(today.kv)).toContain(pick.id);
      expect(pick.pick?.like?.title).toMatch(/KV cache|Paged KV|Prefix KV/i);
      expect(voted.kv.map((paper) => paper.title)).toContain(pick.pick?.like?.title);
      expect(pick.pick?.words.length).toBeGreaterThan(0);
    }
  });

  it('GIVEN papers the person was alerted to before or voted on THEN they are never picked', async () => {
    await addPickSubscription(app.db, alice, clock.now().toISOString());
    await voteAll(app, alice, voted.kv.slice(0, 5), voted.consensus.slice(0, 3));
    const [disliked, liked, alerted] = today.kv;
    await vote(app, alice, disliked?.id as string, 'not-relevant');
    await vote(app, alice, liked?.id as string, 'relevant');
    await claimNew(
      app.db,
      { kind: 'alert', platform: 'slack', target: 'U1', day: YESTERDAY },
      [{ id: alerted?.id as string, version: 1, isUpdate: false, reasons: ['serving'] }],
      '2025-12-18T01:00:00.000Z',
    );

    const picks = ids(alertOf(await plan(app), alice)?.picks);
    expect(picks.length).toBeGreaterThan(0);
    expect(picks).not.toContain(disliked?.id);
    expect(picks).not.toContain(liked?.id);
    expect(picks).not.toContain(alerted?.id);
  });

  it('GIVEN picks on but too few votes, or enough votes but picks off THEN nothing is picked; picks with no match make an alert of their own', async () => {
    const bob: Reader = { platform: 'discord', userId: 'B1' };
    const carol: Reader = { platform: 'email', userId: 'carol' };
    await addPickSubscription(app.db, bob, clock.now().toISOString());
    await voteAll(app, bob, voted.kv.slice(0, 4), voted.consensus.slice(0, 3));
    await voteAll(app, carol, voted.kv.slice(0, 5), voted.consensus.slice(0, 3));
    const dave: Reader = { platform: 'slack', userId: 'D1' };
    await addPickSubscription(app.db, dave, clock.now().toISOString());
    await voteAll(app, dave, voted.consensus.slice(0, 4).concat(voted.kv.slice(5, 6)), voted.kv.slice(0, 3));

    const plans = await plan(app);
    expect(alertOf(plans, bob)).toBeUndefined();
    expect(alertOf(plans, carol)).toBeUndefined();
    const daves = alertOf(plans, dave);
    expect(daves?.papers).toEqual([]);
    expect(ids(daves?.picks).every((id) => ids(today.consensus).includes(id))).toBe(true);
  });

  it('GIVEN a pick delivered THEN the ledger keeps it with its why, a retry shows the same, and it is not learned from as a subscription match', async () => {
    await addPickSubscription(app.db, alice, clock.now().toISOString());
    await voteAll(app, alice, voted.kv.slice(0, 5), voted.consensus.slice(0, 3));
    const platform = new FakePlatform('slack');
    const flaky = platform.messenger();
    platform.fail('U1', { ok: false, permanent: false, reason: 'timeout' });
    const deps = deliverDeps(app, [flaky]);
    await deliverDay(deps, planSettings(app), DAY);
    expect(platform.delivered).toHaveLength(0);

    platform.recover('U1');
    clock.set('2025-12-19T12:00:00Z');
    await retryDue(deps, DAY);
    const [sent] = platform.to('U1');
    const message = sent?.message as AlertMessage;
    expect(message.papers).toEqual([]);
    expect(message.picks).toHaveLength(5);
    expect(message.picks?.every((pick) => pick.pick?.like && pick.pick.words.length > 0)).toBe(true);
    const rows = await app.db.all<{ pick: string | null }>('SELECT pick FROM delivery_papers');
    expect(rows.every((row) => row.pick !== null)).toBe(true);
    // Picks are not weak positives: the model learns from what subscriptions brought, not from itself.
    const alerted = await app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_papers WHERE pick IS NULL');
    expect(alerted?.n).toBe(0);
  });
});

describe('picked for you across a restart', () => {
  let dir: string;
  const url = () => `sqlite://${join(dir, 'papers.db')}`;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-picks-'));
    clock.set('2025-12-19T10:00:00Z');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN the process died after the votes were stored and before any retrain THEN the next daily run trains the model from the archive and picks', async () => {
    const before = await openTestApp({ DATABASE_URL: url() }, { now: clock.now });
    await setUp(before);
    await addPickSubscription(before.db, alice, clock.now().toISOString());
    // Votes committed straight to the vote store: what a crash between the vote and its retrain leaves.
    for (const paper of voted.kv.slice(0, 5)) await castVote(before.db, { ...alice, paperId: paper.id, value: 'relevant', source: 'digest', now: clock.now() });
    for (const paper of voted.consensus.slice(0, 3))
      await castVote(before.db, { ...alice, paperId: paper.id, value: 'not-relevant', source: 'digest', now: clock.now() });
    expect(await loadPersonModel(before.db, alice)).toBeNull();
    await before.close();

    const after = await openTestApp({ DATABASE_URL: url() }, { now: clock.now });
    try {
      expect(ids(alertOf(await plan(after), alice)?.picks)).toHaveLength(5);
      expect(await loadPersonModel(after.db, alice)).not.toBeNull();
    } finally {
      await after.close();
    }
  });

  it('GIVEN a model trained before a restart THEN the daily run after it uses the stored model, not a new one', async () => {
    const before = await openTestApp({ DATABASE_URL: url() }, { now: clock.now });
    await setUp(before);
    await addPickSubscription(before.db, alice, clock.now().toISOString());
    await voteAll(before, alice, voted.kv.slice(0, 5), voted.consensus.slice(0, 3));
    const trained = await loadPersonModel(before.db, alice);
    await before.close();

    clock.set('2025-12-19T23:00:00Z');
    const after = await openTestApp({ DATABASE_URL: url() }, { now: clock.now });
    try {
      expect(ids(alertOf(await plan(after), alice)?.picks)).toHaveLength(5);
      expect((await loadPersonModel(after.db, alice))?.trainedAt).toBe(trained?.trainedAt);
    } finally {
      await after.close();
    }
  });
});

function deliverDeps(app: App, messengers: Messenger[]): DeliverDeps {
  return {
    db: app.db,
    log: app.log,
    now: clock.now,
    messengers,
    fanOut: new FanOut(async () => undefined),
    settings: { maxAttempts: 3, retryBaseMs: 60_000, claimTimeoutMs: 600_000, holdMs: 7 * 86_400_000 },
  };
}
