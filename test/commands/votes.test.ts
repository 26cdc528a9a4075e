import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dislikeCommand } from '../../commands/dislike.ts';
import { feedbackCommand } from '../../commands/feedback.ts';
import { likeCommand } from '../../commands/like.ts';
import { runCommand } from '../../commands/run-command.ts';
import { unvoteCommand } from '../../commands/unvote.ts';
import { createVoteLimiter } from '../../commands/vote-limiter.ts';
import { voteOnPaper } from '../../commands/vote-on-paper.ts';
import type { App } from '../../src/app.ts';
import { classifyPending } from '../../src/pipeline/classify.ts';
import { getPaper } from '../../src/store/papers.ts';
import { votesOf } from '../../src/store/votes.ts';
import { commandContext } from '../helpers/command-context.ts';
import { announce, paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const clock = fixedClock('2026-01-05T10:00:00Z');
const kept = paperRecord(1, { title: 'Paged Attention for LLM Serving' });
const dropped = paperRecord(2, {
  title: 'Tail-Latency-Aware Request Routing for Geo-Distributed Key-Value Stores',
  abstract: 'We route requests between replicas of a key-value store across regions, cutting p99 latency by 40%.',
});

let app: App;
beforeEach(async () => {
  clock.set('2026-01-05T10:00:00Z');
  app = await openTestApp({}, { now: clock.now });
  await announce(app, [kept, dropped]);
  await classifyPending(app.classify);
});
afterEach(() => app.close());

const as = (userId: string, platform: 'slack' | 'discord' | 'console' = 'slack') => commandContext(app, { userId, platform });

describe('/like, /dislike, /unvote', () => {
  it('GIVEN /like on a paper THEN the vote is stored with platform, person, paper, where and when, and the private reply says so with the group’s count', async () => {
    const reply = await runCommand(likeCommand, as('U1'), { text: kept.id });

    expect(reply).toEqual({ text: 'Marked “Paged Attention for LLM Serving” relevant. The group: 1 relevant, 0 not.', private: true });
    expect(await votesOf(app.db, { platform: 'slack', userId: 'U1' })).toEqual([
      expect.objectContaining({ paperId: kept.id, value: 'relevant', source: 'command', createdAt: '2026-01-05T10:00:00.000Z' }),
    ]);
  });

  it('GIVEN a vote changed, repeated and taken back THEN each reply says what changed, and one row per person and paper is kept', async () => {
    await runCommand(likeCommand, as('U2', 'discord'), { text: kept.id });
    await runCommand(likeCommand, as('U1'), { text: `https://arxiv.org/abs/${kept.id}v1` });

    const changed = await runCommand(dislikeCommand, as('U1'), { text: kept.id });
    const again = await runCommand(dislikeCommand, as('U1'), { text: kept.id });
    expect(changed.text).toBe('Marked “Paged Attention for LLM Serving” not relevant (was: relevant). The group: 1 relevant, 1 not.');
    expect(again.text).toBe('You had already marked “Paged Attention for LLM Serving” not relevant; nothing changed. The group: 1 relevant, 1 not.');
    expect(await votesOf(app.db, { platform: 'slack', userId: 'U1' })).toHaveLength(1);

    const removed = await runCommand(unvoteCommand, as('U1'), { text: kept.id });
    const nothing = await runCommand(unvoteCommand, as('U1'), { text: kept.id });
    expect(removed.text).toBe('Took back your vote on “Paged Attention for LLM Serving” (was: not relevant). The group: 1 relevant, 0 not.');
    expect(nothing.text).toBe('You had no vote on “Paged Attention for LLM Serving”; nothing to take back. The group: 1 relevant, 0 not.');
    expect(await votesOf(app.db, { platform: 'slack', userId: 'U1' })).toEqual([]);
  });

  it('GIVEN a paper the filter dropped WHEN someone marks it relevant THEN it enters the archive and the reply says so', async () => {
    expect((await getPaper(app.db, dropped.id))?.classification.relevant).toBe(false);
    const reply = await runCommand(likeCommand, as('U1'), { text: dropped.id });
    expect(reply.text).toMatch(/relevant\. The group: 1 relevant, 0 not\. The filter had left it out; the group’s votes bring it into the archive/);
    expect((await getPaper(app.db, dropped.id))?.classification.relevant).toBe(true);
  });

  it('GIVEN the group turning a paper down THEN the reply says it leaves the web page and the feeds', async () => {
    const reply = await runCommand(dislikeCommand, as('U1'), { text: kept.id });
    expect(reply.text).toMatch(/The group now marks it not relevant: it leaves the web page and the feeds\.$/);
  });

  it.each([
    ['2512.99999', 'The archive has no paper `2512.99999`, so there is nothing to vote on.'],
    ['2599.99999', '“2599.99999” is not an arXiv id: give one such as `2512.16473` or `https://arxiv.org/abs/2512.16473`.'],
    ['not-an-id', '“not-an-id” is not an arXiv id: give one such as `2512.16473` or `https://arxiv.org/abs/2512.16473`.'],
    ['', 'Which paper?: give one such as `2512.16473` or `https://arxiv.org/abs/2512.16473`.'],
  ])('GIVEN /like %j THEN it is refused privately and nothing is stored', async (text, expected) => {
    const reply = await runCommand(likeCommand, as('U1'), { text });
    expect(reply).toEqual({ text: expected, private: true });
    expect(await app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM votes')).toEqual({ n: 0 });
  });
});

describe('a person voting very fast', () => {
  it('GIVEN 30 votes within a minute THEN the 31st is refused (said once, then quietly) and counted again after the window', async () => {
    const ctx = commandContext(app, { userId: 'U1' }, { voteLimiter: createVoteLimiter({ votes: 30, windowMs: 60_000 }) });
    for (let toggle = 0; toggle < 30; toggle++) {
      clock.set(`2026-01-05T10:00:${String(toggle).padStart(2, '0')}Z`);
      const answer = await voteOnPaper(ctx, { paperId: kept.id, value: toggle % 2 ? 'not-relevant' : 'relevant', source: 'reaction' });
      expect(answer.change).not.toBeNull();
    }
    const refused = await voteOnPaper(ctx, { paperId: kept.id, value: 'relevant', source: 'reaction' });
    const refusedAgain = await voteOnPaper(ctx, { paperId: kept.id, value: 'relevant', source: 'reaction' });
    expect(refused).toMatchObject({
      quiet: false,
      change: null,
      reply: { text: expect.stringMatching(/^That is a lot of votes in a minute; this one was not counted\. Try again in 31 s\.$/) },
    });
    expect(refusedAgain).toMatchObject({ quiet: true, change: null });
    expect((await votesOf(app.db, { platform: 'slack', userId: 'U1' }))[0]?.value).toBe('not-relevant');

    // Someone else is not held up, and the voter is counted again once the first vote is a minute old.
    expect(
      (
        await voteOnPaper(commandContext(app, { userId: 'U2' }, { voteLimiter: ctx.services.voteLimiter }), {
          paperId: kept.id,
          value: 'relevant',
          source: 'digest',
        })
      ).change,
    ).toBe('new');
    clock.set('2026-01-05T10:01:00.001Z');
    expect((await voteOnPaper(ctx, { paperId: kept.id, value: 'relevant', source: 'reaction' })).change).toBe('changed');
  });
});

describe('/feedback', () => {
  it('GIVEN no votes THEN it says how to vote', async () => {
    const reply = await runCommand(feedbackCommand, as('U1'), { text: '' });
    expect(reply.text).toMatch(/^You have not voted on any paper yet\./);
  });

  it('GIVEN votes from several places THEN it lists the person’s own, newest first, with where they were cast — and nobody else’s', async () => {
    const ctx = as('U1');
    await voteOnPaper(ctx, { paperId: kept.id, value: 'relevant', source: 'digest' });
    clock.set('2026-01-06T09:00:00Z');
    await voteOnPaper(ctx, { paperId: dropped.id, value: 'not-relevant', source: 'reaction' });
    await runCommand(likeCommand, as('U9'), { text: kept.id });

    const reply = await runCommand(feedbackCommand, ctx, { text: '' });
    expect(reply.text.split('\n')).toEqual([
      'Your 2 votes on Slack, newest first:',
      `• 👎 not relevant · “${dropped.title}” · \`${dropped.id}\` · by a reaction, 2026-01-06`,
      `• 👍 relevant · “Paged Attention for LLM Serving” · \`${kept.id}\` · from a digest, 2026-01-05`,
      'Change one with `/like <id>` or `/dislike <id>`; take one back with `/unvote <id>`.',
    ]);
  });
});
