import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { recordVote, VOTES_MODEL } from '../../src/pipeline/apply-vote.ts';
import { classifyPending } from '../../src/pipeline/classify.ts';
import { getPaper } from '../../src/store/papers.ts';
import { announce, paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

let app: App;
const clock = fixedClock('2026-01-05T10:00:00Z');
const dropped = paperRecord(1, {
  title: 'Tail-Latency-Aware Request Routing for Geo-Distributed Key-Value Stores',
  abstract: 'We route requests between replicas of a key-value store across regions, cutting p99 latency by 40%.',
});
const kept = paperRecord(2);

async function searchable(word: string): Promise<string[]> {
  const rows = await app.db.all<{ id: string }>('SELECT p.id FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ?', [word]);
  return rows.map((row) => row.id);
}

function voteFor(userId: string, paperId: string, value: 'relevant' | 'not-relevant' | null) {
  return recordVote({ db: app.db, now: clock.now, tagsFor: app.classify.keywords.tagsFor }, { platform: 'slack', userId, paperId, value, source: 'digest' });
}

beforeEach(async () => {
  app = await openTestApp({}, { now: clock.now });
  await announce(app, [dropped, kept]);
  await classifyPending(app.classify);
});
afterEach(async () => {
  await app.close();
});

describe('votes applied to the archive', () => {
  it('GIVEN a paper the filter dropped THEN the group marking it relevant brings it into the relevant papers and the full-text index', async () => {
    expect((await getPaper(app.db, dropped.id))?.classification.relevant).toBe(false);
    expect(await searchable('replicas')).toEqual([]);

    const outcome = await voteFor('U1', dropped.id, 'relevant');

    expect(outcome).toMatchObject({ change: 'new', effect: 'promoted', group: { label: 'relevant' } });
    const paper = await getPaper(app.db, dropped.id);
    expect(paper?.classification).toMatchObject({ status: 'done', relevant: true, model: VOTES_MODEL });
    expect(paper?.classification.tldr).toContain('We route requests');
    expect(await searchable('replicas')).toEqual([dropped.id]);
  });

  it('GIVEN a paper the group brought in THEN a tie takes it back out, and the filter verdict it replaced is kept for measuring', async () => {
    await voteFor('U1', dropped.id, 'relevant');

    const outcome = await voteFor('U2', dropped.id, 'not-relevant');

    expect(outcome).toMatchObject({ effect: 'demoted', group: { label: null } });
    expect((await getPaper(app.db, dropped.id))?.classification).toMatchObject({ relevant: false, model: VOTES_MODEL });
    expect(await searchable('replicas')).toEqual([]);
    expect(await app.db.get('SELECT filter_model, filter_relevant FROM paper_labels WHERE paper_id = ?', [dropped.id])).toEqual({
      filter_model: 'keywords',
      filter_relevant: 0,
    });
  });

  it('GIVEN a relevant paper marked not relevant THEN its verdict stays (views leave it out) and removing the vote changes nothing else', async () => {
    const outcome = await voteFor('U1', kept.id, 'not-relevant');

    expect(outcome).toMatchObject({ effect: null, group: { label: 'not-relevant' } });
    expect((await getPaper(app.db, kept.id))?.classification).toMatchObject({ relevant: true, model: 'keywords' });
    expect(await voteFor('U1', kept.id, null)).toMatchObject({ change: 'removed', effect: null, group: { label: null } });
  });
});
