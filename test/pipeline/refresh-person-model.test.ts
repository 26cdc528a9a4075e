import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { personalFeatures, personalScore } from '../../src/domain/personal-model.ts';
import { currentPersonModel, paperText, refreshPersonModel } from '../../src/pipeline/refresh-person-model.ts';
import { getPaper } from '../../src/store/papers.ts';
import { loadPersonModel, trainingPapers } from '../../src/store/person-models.ts';
import { castVote } from '../../src/store/votes.ts';
import { consensusPaper, kvPaper, type Reader, storePapers, vote, voteAll } from '../helpers/readers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const clock = fixedClock('2025-12-19T10:00:00Z');
const DAY = '2025-12-18';
const kv = Array.from({ length: 8 }, (_, index) => kvPaper(index + 1));
const consensus = Array.from({ length: 6 }, (_, index) => consensusPaper(index + 101));
const alice: Reader = { platform: 'slack', userId: 'U1' };

let app: App;
beforeEach(async () => {
  clock.set('2025-12-19T10:00:00Z');
  app = await openTestApp({}, { now: clock.now });
  await storePapers(app, [...kv, ...consensus], DAY);
});
afterEach(async () => {
  await app.close();
});

async function score(reader: Reader, paperId: string): Promise<number> {
  const model = await currentPersonModel(app.db, reader, clock.now());
  const paper = await getPaper(app.db, paperId);
  if (!model || !paper) throw new Error('no model or paper');
  return personalScore(model, personalFeatures(paperText(paper)));
}

describe('a model per person', () => {
  it('GIVEN a person with no votes THEN there is no model and nothing personal: 5 👍 and 3 👎 to go', async () => {
    expect(await currentPersonModel(app.db, alice, clock.now())).toBeNull();
    expect(await refreshPersonModel(app.db, alice, clock.now())).toEqual({ kind: 'waiting', needed: { positive: 5, negative: 3 } });
    expect(await loadPersonModel(app.db, alice)).toBeNull();
  });

  it('GIVEN votes through recordVote THEN the model is kept in the archive at the vote that reaches 5 👍 and 3 👎, not before', async () => {
    const outcomes = await voteAll(app, alice, kv.slice(0, 5), consensus.slice(0, 3));
    expect(outcomes.slice(0, 7).map((outcome) => outcome.personal?.kind)).toEqual(Array(7).fill('waiting'));
    expect(outcomes[6]?.personal).toEqual({ kind: 'waiting', needed: { positive: 0, negative: 1 } });
    expect(outcomes[7]?.personal).toMatchObject({ kind: 'ready', positives: 5, negatives: 3 });
    const stored = await loadPersonModel(app.db, alice);
    expect(stored?.state).toMatchObject({ votes: 8, sum: 2 });
    expect(await score(alice, kv[6]?.id as string)).toBeGreaterThan(await score(alice, consensus[4]?.id as string));
  });

  it('GIVEN a vote that changes nothing THEN no retrain; a changed vote retrains at once', async () => {
    await voteAll(app, alice, kv.slice(0, 6), consensus.slice(0, 3));
    expect((await vote(app, alice, kv[0]?.id as string, 'relevant')).personal).toBeNull();
    clock.set('2025-12-19T10:01:00Z');
    const changed = await vote(app, alice, kv[0]?.id as string, 'not-relevant');
    expect(changed.personal).toMatchObject({ kind: 'ready', positives: 5, negatives: 4 });
    expect((await loadPersonModel(app.db, alice))?.trainedAt).toBe('2025-12-19T10:01:00.000Z');
  });

  it('GIVEN one person on Slack and on Discord THEN two models, each from that platform’s votes', async () => {
    const onDiscord: Reader = { platform: 'discord', userId: 'U1' };
    await voteAll(app, alice, kv.slice(0, 5), consensus.slice(0, 3));
    await voteAll(app, onDiscord, consensus.slice(0, 5), kv.slice(0, 3));
    expect(await score(alice, kv[7]?.id as string)).toBeGreaterThan(await score(alice, consensus[5]?.id as string));
    expect(await score(onDiscord, consensus[5]?.id as string)).toBeGreaterThan(await score(onDiscord, kv[7]?.id as string));
    const discordVotes = await trainingPapers(app.db, onDiscord, 0);
    expect(discordVotes.liked.map((paper) => paper.id).sort()).toEqual(
      consensus
        .slice(0, 5)
        .map((paper) => paper.id)
        .sort(),
    );
  });

  it('GIVEN a voted paper deleted from the archive THEN its votes go with it and the model follows: retrained, or gone below the threshold', async () => {
    await voteAll(app, alice, kv.slice(0, 6), consensus.slice(0, 3));
    await app.db.run('DELETE FROM papers WHERE id = ?', [kv[0]?.id as string]);
    const retrained = await currentPersonModel(app.db, alice, clock.now());
    expect(retrained).not.toBeNull();
    expect((await loadPersonModel(app.db, alice))?.state).toMatchObject({ votes: 8, sum: 2 });
    expect((await trainingPapers(app.db, alice, 0)).liked.map((paper) => paper.id)).not.toContain(kv[0]?.id);

    await app.db.run('DELETE FROM papers WHERE id = ?', [kv[1]?.id as string]);
    expect(await currentPersonModel(app.db, alice, clock.now())).toBeNull();
    expect(await loadPersonModel(app.db, alice)).toBeNull();
  });

  it('GIVEN a vote lands while an older retrain runs THEN the older retrain does not write over it', async () => {
    await voteAll(app, alice, kv.slice(0, 5), consensus.slice(0, 2));
    // A retrain that read the votes before the next one committed…
    const stale = refreshPersonModel(app.db, alice, clock.now());
    clock.set('2025-12-19T10:02:00Z');
    const late = castVote(app.db, { ...alice, paperId: consensus[2]?.id as string, value: 'not-relevant', source: 'digest', now: clock.now() });
    await Promise.all([stale, late]);
    // …writes nothing (it would have kept the person below the threshold), and the next use retrains.
    expect(await loadPersonModel(app.db, alice)).toBeNull();
    expect(await currentPersonModel(app.db, alice, clock.now())).not.toBeNull();
    expect((await loadPersonModel(app.db, alice))?.state).toMatchObject({ votes: 8, lastVoteAt: '2025-12-19T10:02:00.000Z' });
  });
});
