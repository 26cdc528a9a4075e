import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { UserError } from '../../src/domain/errors.ts';
import { Database } from '../../src/store/db.ts';
import { labelledVerdicts, recentCorrections, scoresOnGroupLabels } from '../../src/store/group-labels.ts';
import { recordAnnouncement, saveClassification } from '../../src/store/papers.ts';
import {
  castVote,
  groupLabel,
  groupLabels,
  labelGeneration,
  NOT_REJECTED_BY_GROUP,
  rejectedByGroup,
  removeVote,
  voteCounts,
  votesOf,
} from '../../src/store/votes.ts';
import { announce, paperRecord } from '../helpers/papers.ts';
import { setSchemaBackTo } from '../helpers/schema.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

let app: App;
const clock = fixedClock('2026-01-05T10:00:00Z');
const alice = { platform: 'slack', userId: 'U1' };
const bob = { platform: 'slack', userId: 'U2' };
const carol = { platform: 'discord', userId: '99' };
const paper = paperRecord(1);
const vote = (who: { platform: string; userId: string }, value: 'relevant' | 'not-relevant', paperId = paper.id) =>
  castVote(app.db, { ...who, paperId, value, source: 'digest', now: clock.now() });

beforeEach(async () => {
  clock.set('2026-01-05T10:00:00Z');
  app = await openTestApp({}, { now: clock.now });
  await announce(app, [paper, paperRecord(2), paperRecord(3)]);
});
afterEach(async () => {
  await app.close();
});

describe('the vote store', () => {
  it('GIVEN a first vote, the same again, a change and a removal THEN each says what it changed', async () => {
    expect(await vote(alice, 'relevant')).toMatchObject({ change: 'new', previous: null, current: 'relevant', labelChanged: true });
    expect(await vote(alice, 'relevant')).toMatchObject({ change: 'unchanged', current: 'relevant', labelChanged: false });
    clock.set('2026-01-05T11:00:00Z');
    expect(await vote(alice, 'not-relevant')).toMatchObject({ change: 'changed', previous: 'relevant', current: 'not-relevant', labelChanged: true });
    expect(await removeVote(app.db, { ...alice, paperId: paper.id, now: clock.now() })).toMatchObject({
      change: 'removed',
      previous: 'not-relevant',
      current: null,
    });
    expect(await removeVote(app.db, { ...alice, paperId: paper.id, now: clock.now() })).toMatchObject({ change: 'none', labelChanged: false });
    expect(await groupLabel(app.db, paper.id)).toEqual({ paperId: paper.id, relevantVotes: 0, notRelevantVotes: 0, label: null });
  });

  it('GIVEN a vote on a paper the archive does not hold THEN it is refused and nothing is stored', async () => {
    await expect(vote(alice, 'relevant', '2512.99999')).rejects.toThrow(UserError);
    await expect(vote(alice, 'relevant', '2512.99999')).rejects.toThrow('2512.99999 is not in the archive');
    expect(await voteCounts(app.db)).toMatchObject({ votes: 0, labelled: 0 });
  });

  it('GIVEN a person toggling a thousand times THEN one row remains and the generation counts only real changes', async () => {
    for (let index = 0; index < 1000; index++) await vote(alice, index % 2 === 0 ? 'relevant' : 'not-relevant');
    await vote(alice, 'not-relevant');

    expect(await app.db.all('SELECT value FROM votes')).toEqual([{ value: -1 }]);
    expect(await app.db.get('SELECT COUNT(*) AS n FROM paper_labels')).toEqual({ n: 1 });
    expect(await labelGeneration(app.db)).toBe(1000);
    expect(await votesOf(app.db, alice)).toEqual([
      expect.objectContaining({ paperId: paper.id, value: 'not-relevant', source: 'digest', createdAt: '2026-01-05T10:00:00.000Z' }),
    ]);
  });

  it('GIVEN votes of several people on two platforms THEN the label is the majority, a tie is no label', async () => {
    await vote(alice, 'relevant');
    await vote(bob, 'not-relevant');
    expect(await groupLabel(app.db, paper.id)).toMatchObject({ relevantVotes: 1, notRelevantVotes: 1, label: null });
    await vote(carol, 'not-relevant');
    expect(await groupLabel(app.db, paper.id)).toMatchObject({ relevantVotes: 1, notRelevantVotes: 2, label: 'not-relevant' });
    await vote(alice, 'relevant', paperRecord(2).id);

    expect((await groupLabels(app.db)).map((label) => [label.paperId, label.label])).toEqual(
      expect.arrayContaining([
        [paper.id, 'not-relevant'],
        [paperRecord(2).id, 'relevant'],
      ]),
    );
    expect(await voteCounts(app.db)).toEqual({ votes: 4, voters: 3, labelled: 2, relevant: 1, ties: 0 });
    expect(await rejectedByGroup(app.db, [paper.id, paperRecord(2).id, paperRecord(3).id])).toEqual(new Set([paper.id]));
    const shown = await app.db.all<{ id: string }>(`SELECT p.id FROM papers p WHERE ${NOT_REJECTED_BY_GROUP} ORDER BY p.id`);
    expect(shown.map((row) => row.id)).toEqual([paperRecord(2).id, paperRecord(3).id]);
  });

  it('GIVEN LLM verdicts the group disagrees with THEN they are the corrections, alternating kinds, and the filter is scored on the labels', async () => {
    const verdict = (relevant: boolean) => ({
      status: 'done' as const,
      relevant,
      tags: relevant ? ['serving'] : [],
      tldr: null,
      model: 'gpt-test',
      promptHash: 'h',
      version: 1,
      error: null,
      attempts: 1,
    });
    await app.db.transaction(async (tx) => {
      await saveClassification(tx, paper.id, verdict(true), clock.now().toISOString());
      await saveClassification(tx, paperRecord(2).id, verdict(false), clock.now().toISOString());
      await saveClassification(tx, paperRecord(3).id, verdict(true), clock.now().toISOString());
    });
    await vote(alice, 'not-relevant');
    clock.set('2026-01-05T10:01:00Z');
    await vote(alice, 'relevant', paperRecord(2).id);
    clock.set('2026-01-05T10:02:00Z');
    await vote(alice, 'relevant', paperRecord(3).id);

    const corrections = await recentCorrections(app.db, { limit: 4 });
    expect(corrections.map((row) => [row.paper.id, row.verdict?.relevant, row.label])).toEqual([
      [paper.id, true, false],
      [paperRecord(2).id, false, true],
    ]);
    expect(await recentCorrections(app.db, { limit: 4, exclude: new Set([paper.id]) })).toHaveLength(1);
    expect(await scoresOnGroupLabels(app.db)).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5 });
    expect((await labelledVerdicts(app.db)).map((row) => row.paper.id)).toEqual([paperRecord(3).id, paperRecord(2).id, paper.id]);
  });

  it('GIVEN votes on papers imported from a README THEN the filter is not scored on them: it never judged them', async () => {
    const imported = {
      status: 'done' as const,
      relevant: true,
      tags: [],
      tldr: null,
      model: 'import',
      promptHash: 'readme',
      version: 1,
      error: null,
      attempts: 1,
    };
    const llm = { ...imported, relevant: false, model: 'gpt-test', promptHash: 'h' };
    await app.db.transaction(async (tx) => {
      await saveClassification(tx, paper.id, imported, clock.now().toISOString());
      await saveClassification(tx, paperRecord(2).id, imported, clock.now().toISOString());
      await saveClassification(tx, paperRecord(3).id, llm, clock.now().toISOString());
    });
    await vote(alice, 'not-relevant');
    await vote(alice, 'relevant', paperRecord(2).id);
    await vote(alice, 'not-relevant', paperRecord(3).id);

    expect(await scoresOnGroupLabels(app.db)).toMatchObject({ papers: 1, tp: 0, fp: 0, fn: 0, tn: 1 });
  });

  it('GIVEN an archive from before votes (schema 7) THEN upgrading adds the empty vote tables and keeps the papers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-votes-'));
    try {
      const url = `sqlite://${join(dir, 'a.db')}`;
      const old = await Database.open(url);
      await old.transaction(async (tx) => {
        await recordAnnouncement(tx, '2026-01-05', { paper: paperRecord(9), type: 'new' }, 'test', '2026-01-05T00:00:00Z');
      });
      await setSchemaBackTo(old, 7);
      await old.close();

      const upgraded = await Database.open(url);
      try {
        expect(await upgraded.get('SELECT COUNT(*) AS n FROM papers')).toEqual({ n: 1 });
        expect(await voteCounts(upgraded)).toEqual({ votes: 0, voters: 0, labelled: 0, relevant: 0, ties: 0 });
        expect(await labelGeneration(upgraded)).toBe(0);
        await castVote(upgraded, { ...alice, paperId: paperRecord(9).id, value: 'relevant', source: 'web', now: clock.now() });
        expect(await groupLabel(upgraded, paperRecord(9).id)).toMatchObject({ label: 'relevant' });
      } finally {
        await upgraded.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
