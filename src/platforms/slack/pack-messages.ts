import { SLACK_LIMITS } from './slack-limits.ts';
import type { Block, SlackMessage } from './slack-message.ts';

export type MessageParts = {
  /** Blocks that open the first message (the reply's text, a digest header). */
  readonly lead: readonly Block[];
  /** Units that are never split across messages: one paper each. */
  readonly entries: readonly (readonly Block[])[];
  /** Blocks that close the last message (buttons). */
  readonly tail: readonly Block[];
};

/** Fallback text of message `index` (0-based) of `count`, given the 0-based entries it holds. */
export type FallbackText = (index: number, count: number, first: number, last: number) => string;

/**
 * Packs blocks into as few messages as Slack's limits allow (50 blocks, ~12,000 characters of
 * blocks), breaking only between entries, so a long reply becomes several messages and no paper
 * is ever cut in two.
 */
export function packMessages(parts: MessageParts, fallback: FallbackText): SlackMessage[] {
  type Draft = { blocks: Block[]; first: number; last: number };
  const drafts: Draft[] = [];
  let current: Draft = { blocks: [...parts.lead], first: 0, last: -1 };
  for (const [index, entry] of parts.entries.entries()) {
    if (current.blocks.length > 0 && !fits([...current.blocks, ...entry])) {
      drafts.push(current);
      current = { blocks: [], first: index, last: index - 1 };
    }
    current.blocks.push(...entry);
    current.last = index;
  }
  if (parts.tail.length && current.blocks.length > 0 && !fits([...current.blocks, ...parts.tail])) {
    drafts.push(current);
    current = { blocks: [], first: parts.entries.length, last: parts.entries.length - 1 };
  }
  current.blocks.push(...parts.tail);
  if (current.blocks.length > 0 || drafts.length === 0) drafts.push(current);
  return drafts.map((draft, index) => ({ text: fallback(index, drafts.length, draft.first, draft.last), blocks: draft.blocks }));
}

export function fits(blocks: readonly Block[]): boolean {
  return blocks.length <= SLACK_LIMITS.blocksPerMessage && blockCharacters(blocks) <= SLACK_LIMITS.blockCharacters;
}

/** Slack counts the serialized blocks; JSON length is a slight over-estimate, which is the safe side. */
export function blockCharacters(blocks: readonly Block[]): number {
  return JSON.stringify(blocks).length;
}

/** Fallback text of a follow-up message: which part it is and which papers it holds. */
export function continuedText(index: number, count: number, first: number, last: number): string {
  const papers = last >= first ? ` papers ${first + 1}–${last + 1}` : '';
  return `(continued ${index + 1}/${count})${papers}`;
}
