import type { RecordedVote } from '../src/pipeline/apply-vote.ts';
import type { GroupLabel, VoteValue } from '../src/store/votes.ts';
import { codeSafe } from './command.ts';

const TITLE_CHARACTERS = 160;

/** “Title”, clipped, with no backticks (it sits beside code spans in chat). */
export function quotedTitle(title: string): string {
  const flat = codeSafe(title.replace(/\s+/g, ' ').trim());
  return `“${flat.length > TITLE_CHARACTERS ? `${flat.slice(0, TITLE_CHARACTERS - 1)}…` : flat}”`;
}

export function valueWords(value: VoteValue): string {
  return value === 'relevant' ? 'relevant' : 'not relevant';
}

/** "The group: 2 relevant, 1 not." — everyone's votes on the paper, on every platform. */
export function describeGroup(group: GroupLabel): string {
  if (group.relevantVotes + group.notRelevantVotes === 0) return 'No votes on it now.';
  return `The group: ${group.relevantVotes} relevant, ${group.notRelevantVotes} not.`;
}

/**
 * What a vote changed, for the voter's private reply: their vote (and what it was), the group's
 * count, and what happened to the paper in the archive when the group's label moved.
 */
export function describeVote(title: string, vote: RecordedVote): string {
  const quoted = quotedTitle(title);
  const was = vote.previous ? ` (was: ${valueWords(vote.previous)})` : '';
  const parts = [own(quoted, vote, was), describeGroup(vote.group)];
  if (vote.effect === 'promoted') parts.push('The filter had left it out; the group’s votes bring it into the archive, so search finds it now.');
  else if (vote.effect === 'demoted') parts.push('The filter had left it out and the group no longer says otherwise, so it leaves the archive’s papers again.');
  else if (vote.labelChanged && vote.group.label === 'not-relevant') parts.push('The group now marks it not relevant: it leaves the web page and the feeds.');
  return parts.join(' ');
}

function own(quoted: string, vote: RecordedVote, was: string): string {
  switch (vote.change) {
    case 'new':
    case 'changed':
      return `Marked ${quoted} ${valueWords(vote.current as VoteValue)}${was}.`;
    case 'unchanged':
      return `You had already marked ${quoted} ${valueWords(vote.current as VoteValue)}; nothing changed.`;
    case 'removed':
      return `Took back your vote on ${quoted}${was}.`;
    case 'none':
      return `You had no vote on ${quoted}; nothing to take back.`;
  }
}
