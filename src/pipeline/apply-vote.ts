import type { Classification } from '../domain/paper.ts';
import { extractTldr } from '../llm/extract-tldr.ts';
import type { Database, Queryable } from '../store/db.ts';
import { getPaper, saveClassification } from '../store/papers.ts';
import { castVoteIn, removeVoteIn, type VoteOutcome, type Voter, type VoteSource, type VoteValue } from '../store/votes.ts';

/** The model name of a verdict the group's votes made: a paper the filter dropped that the group brought in. */
export const VOTES_MODEL = 'votes';

export type VoteDeps = {
  readonly db: Database;
  readonly now: () => Date;
  /** Tags for a paper the group brings in without any (the offline filter's tagger). */
  readonly tagsFor: (title: string, abstract?: string) => string[];
};

/** What a vote did to the archive besides the vote itself. */
export type VoteEffect = 'promoted' | 'demoted' | null;

export type RecordedVote = VoteOutcome & { readonly effect: VoteEffect };

/**
 * Casts (value) or removes (null) a person's vote and applies the group's label to the archive in
 * the same transaction: a paper the group marks relevant that the filter dropped becomes relevant
 * (model `votes`, tags from the offline tagger, an extractive TL;DR) and so enters search; if the
 * group changes its mind, such a paper goes back to not relevant. A paper the group marks not
 * relevant keeps its verdict — the default views leave it out (NOT_REJECTED_BY_GROUP).
 */
export function recordVote(
  deps: VoteDeps,
  vote: Voter & { readonly paperId: string; readonly value: VoteValue | null; readonly source: VoteSource; readonly only?: VoteValue },
): Promise<RecordedVote> {
  return deps.db.transaction(async (tx) => {
    const now = deps.now();
    const outcome = vote.value === null ? await removeVoteIn(tx, { ...vote, now }) : await castVoteIn(tx, { ...vote, value: vote.value, now });
    const effect = outcome.labelChanged ? await applyGroupLabel(tx, vote.paperId, outcome.group.label === 'relevant', deps.tagsFor, now) : null;
    return { ...outcome, effect };
  });
}

/** Brings a paper the group marked relevant into the archive's relevant papers, or takes one it had brought in back out. */
export async function applyGroupLabel(tx: Queryable, paperId: string, relevant: boolean, tagsFor: VoteDeps['tagsFor'], now: Date): Promise<VoteEffect> {
  const paper = await getPaper(tx, paperId);
  if (!paper) return null;
  const current = paper.classification;
  if (relevant && current.relevant !== true) {
    const verdict: Classification = {
      status: 'done',
      relevant: true,
      tags: current.tags.length ? current.tags : tagsFor(paper.title, paper.abstract),
      tldr: current.tldr ?? extractTldr(paper.abstract),
      model: VOTES_MODEL,
      promptHash: null,
      version: paper.version,
      error: null,
      attempts: current.attempts,
    };
    await saveClassification(tx, paperId, verdict, now.toISOString());
    return 'promoted';
  }
  if (!relevant && current.model === VOTES_MODEL && current.relevant) {
    await saveClassification(tx, paperId, { ...current, relevant: false, tags: [], tldr: null }, now.toISOString());
    return 'demoted';
  }
  return null;
}
