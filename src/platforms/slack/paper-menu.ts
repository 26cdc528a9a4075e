import type { types } from '@slack/bolt';
import { parseArxivId } from '../../domain/arxiv-id.ts';

/** The action id of every paper's ⋯ menu; one per section, so it repeats across a message's blocks (Slack allows that). */
export const PAPER_MENU_ACTION = 'paper_menu';

/** Where the menu was shown: it becomes the vote's `source`. */
export type PaperMenuSource = 'digest' | 'alert' | 'search';
/** `like`: "More like this", the paper's nearest neighbours (`/papers like:<id>`), shown to the picker. */
export type PaperMenuChoice = 'relevant' | 'not-relevant' | 'like' | 'clear';
export type PaperMenuPick = { readonly choice: PaperMenuChoice; readonly source: PaperMenuSource; readonly paperId: string };

const CHOICES: readonly PaperMenuChoice[] = ['relevant', 'not-relevant', 'like', 'clear'];
const SOURCES: readonly PaperMenuSource[] = ['digest', 'alert', 'search'];
const LABELS: Record<PaperMenuChoice, string> = {
  relevant: '👍 Relevant',
  'not-relevant': '👎 Not relevant',
  like: '🔎 More like this',
  clear: '↩ Take back my vote',
};
const VERSION = 'v1';

/**
 * A paper's overflow menu (the section's accessory: no extra block, so a message still holds as
 * many papers): relevant, not relevant, more like this, take my vote back (Slack allows 2–5
 * options). Each value names the choice, where it was shown and the paper (≤ 150 characters: an
 * arXiv id is at most 20).
 */
export function paperMenu(paperId: string, source: PaperMenuSource): types.Overflow {
  return {
    type: 'overflow',
    action_id: PAPER_MENU_ACTION,
    options: CHOICES.map((choice) => ({
      text: { type: 'plain_text', text: LABELS[choice], emoji: true },
      value: `${VERSION}|${choice}|${source}|${paperId}`,
    })),
  };
}

/** A picked option's value back; null when it is not one this version makes (old, altered or forged). */
export function readPaperMenuValue(value: string | undefined): PaperMenuPick | null {
  const parts = (value ?? '').split('|');
  if (parts.length !== 4 || parts[0] !== VERSION) return null;
  const [, choice, source, id] = parts as [string, string, string, string];
  if (!(CHOICES as readonly string[]).includes(choice) || !(SOURCES as readonly string[]).includes(source)) return null;
  const parsed = parseArxivId(id);
  if (!parsed || parsed.base !== id) return null;
  return { choice: choice as PaperMenuChoice, source: source as PaperMenuSource, paperId: id };
}
