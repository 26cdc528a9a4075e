import { describeVote } from '../../commands/describe-vote.ts';
import { createVoteLimiter, type VoteLimiter } from '../../commands/vote-limiter.ts';
import { parseArxivId } from '../domain/arxiv-id.ts';
import type { Logger } from '../log.ts';
import { recordVote } from '../pipeline/apply-vote.ts';
import type { Database } from '../store/db.ts';
import { getPaper } from '../store/papers.ts';
import { currentVote, type GroupLabel, groupLabel, type VoteValue } from '../store/votes.ts';
import { findSubscriberById } from './subscriber-store.ts';
import { checkVote, readVote, signVote, type VoteChoice } from './tokens.ts';

/** How long an emailed vote link works. Each new alert carries fresh ones; the result page's buttons last as long. */
export const VOTE_LINK_DAYS = 60;

export type VoteLinkDeps = {
  readonly db: Database;
  readonly now: () => Date;
  /** Tags for a paper the group's votes bring into the archive (the offline filter's tagger). */
  readonly tagsFor: (title: string, abstract?: string) => string[];
  readonly log: Logger;
  readonly limiter?: VoteLimiter;
};

/** Why a link does nothing: not ours (`forged`), too old, its address unsubscribed, its paper gone, or too many votes at once. */
export type VoteLinkProblem = 'forged' | 'expired' | 'unsubscribed' | 'unknown-paper' | 'too-many';

export type VoteLinkView =
  | {
      readonly ok: true;
      readonly address: string;
      readonly paperId: string;
      readonly title: string;
      readonly choice: VoteChoice;
      readonly current: VoteValue | null;
      readonly group: GroupLabel;
    }
  | { readonly ok: false; readonly problem: VoteLinkProblem };

/** A vote made: what changed, and signed tokens for the buttons that take it back or turn it the other way. */
export type VoteLinkDone =
  | {
      readonly ok: true;
      readonly text: string;
      readonly paperId: string;
      readonly undo: string | null;
      readonly opposite: { readonly choice: VoteValue; readonly token: string } | null;
    }
  | { readonly ok: false; readonly problem: VoteLinkProblem };

export type VoteLinks = {
  /** What a link would do, for the page a GET shows (it changes nothing). */
  view(token: string): Promise<VoteLinkView>;
  /** Does it (the page's POST). Repeating it is harmless: the vote is already what it says. */
  vote(token: string): Promise<VoteLinkDone>;
  /** A subscriber's link for one paper, for the alert email. */
  sign(subscriberId: string, key: string, paperId: string, choice: VoteChoice): string;
};

/**
 * Votes from email alerts. The subscriber is the voter (platform `email`, their random id), proven
 * by the link's signature alone: no login. A GET never votes — mail scanners and link previews
 * open every link in an email, and would otherwise cast every vote in it — so the link shows a page
 * with a button, and the POST votes (see email-link-routes.ts).
 */
export function createVoteLinks(deps: VoteLinkDeps): VoteLinks {
  const limiter = deps.limiter ?? createVoteLimiter();
  const log = deps.log.child({ module: 'email-votes' });
  const sign = (subscriberId: string, key: string, paperId: string, choice: VoteChoice) =>
    signVote({ subscriberId, paperId, choice, expiresAt: new Date(deps.now().getTime() + VOTE_LINK_DAYS * 86_400_000) }, key);

  async function open(token: string) {
    const claim = readVote(token);
    if (!claim || parseArxivId(claim.paperId)?.base !== claim.paperId) return { ok: false as const, problem: 'forged' as const };
    const subscriber = await findSubscriberById(deps.db, claim.subscriberId);
    // The key went with the address: the signature cannot be checked, and the address votes no more.
    if (!subscriber) return { ok: false as const, problem: 'unsubscribed' as const };
    const checked = checkVote(claim, subscriber.unsubscribeKey, deps.now());
    if (checked !== 'valid') return { ok: false as const, problem: checked };
    const paper = await getPaper(deps.db, claim.paperId);
    if (!paper) return { ok: false as const, problem: 'unknown-paper' as const };
    return { ok: true as const, claim, subscriber, paper };
  }

  return {
    sign,
    async view(token) {
      const opened = await open(token);
      if (!opened.ok) return opened;
      const voter = { platform: 'email', userId: opened.subscriber.id, paperId: opened.paper.id };
      return {
        ok: true,
        address: opened.subscriber.address,
        paperId: opened.paper.id,
        title: opened.paper.title,
        choice: opened.claim.choice,
        current: await currentVote(deps.db, voter),
        group: await groupLabel(deps.db, opened.paper.id),
      };
    },
    async vote(token) {
      const opened = await open(token);
      if (!opened.ok) return opened;
      const { subscriber, paper, claim } = opened;
      if (!limiter.take(`email:${subscriber.id}`, deps.now()).allowed) return { ok: false, problem: 'too-many' };
      const recorded = await recordVote(deps, {
        platform: 'email',
        userId: subscriber.id,
        paperId: paper.id,
        value: claim.choice === 'clear' ? null : claim.choice,
        source: 'email',
      });
      log.info({ subscriberId: subscriber.id, paperId: paper.id, change: recorded.change }, 'email vote');
      const current = recorded.current;
      return {
        ok: true,
        text: describeVote(paper.title, recorded),
        paperId: paper.id,
        undo: current ? sign(subscriber.id, subscriber.unsubscribeKey, paper.id, 'clear') : null,
        opposite: current ? { choice: other(current), token: sign(subscriber.id, subscriber.unsubscribeKey, paper.id, other(current)) } : null,
      };
    },
  };
}

function other(value: VoteValue): VoteValue {
  return value === 'relevant' ? 'not-relevant' : 'relevant';
}
