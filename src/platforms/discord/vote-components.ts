import { type APIButtonComponentWithCustomId, type APIStringSelectComponent, ButtonStyle, ComponentType } from 'discord.js';
import { parseArxivId } from '../../domain/arxiv-id.ts';
import { moreLikeThis } from '../../domain/paper-actions.ts';
import type { PaperView } from '../../domain/reply.ts';
import { LIMITS } from './discord-limits.ts';
import type { ActionRow } from './discord-message.ts';

/** Where a vote component was shown, as the vote's source: a digest paper, an alert DM, a command's answer. */
export type VoteSource = 'digest' | 'alert' | 'search';
export type VoteChoice = 'relevant' | 'not-relevant' | 'clear';

export type VotePress = { readonly choice: VoteChoice; readonly source: VoteSource; readonly paperId: string };
export type VoteSelect = { readonly choice: Exclude<VoteChoice, 'clear'>; readonly source: VoteSource };

const CHOICE_CODES: Readonly<Record<VoteChoice, string>> = { relevant: 'r', 'not-relevant': 'n', clear: 'c' };
const SOURCE_CODES: Readonly<Record<VoteSource, string>> = { digest: 'd', alert: 'a', search: 's' };
const byCode = <T extends string>(codes: Readonly<Record<T, string>>, code: string | undefined): T | null =>
  (Object.entries(codes) as [T, string][]).find(([, value]) => value === code)?.[0] ?? null;

/**
 * A digest paper's own row of buttons (one paper a message, so a 👍/👎 reaction on the message is
 * a vote on it too): relevant, not relevant, more like this, take back. custom_id
 * `lp:vote:<choice>:<source>:<id>` (at most 32 characters) and `lp:like:<id>`.
 */
export function voteButtons(paperId: string, source: VoteSource): ActionRow {
  const button = (
    choice: VoteChoice,
    label: string,
    style: ButtonStyle.Success | ButtonStyle.Danger | ButtonStyle.Secondary,
  ): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style,
    label,
    custom_id: `lp:vote:${CHOICE_CODES[choice]}:${SOURCE_CODES[source]}:${paperId}`,
  });
  return {
    type: ComponentType.ActionRow,
    components: [
      button('relevant', '👍 Relevant', ButtonStyle.Success),
      button('not-relevant', '👎 Not relevant', ButtonStyle.Secondary),
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: `🔎 ${moreLikeThis(paperId).label}`, custom_id: `lp:like:${paperId}` },
      button('clear', '↩ Take back my vote', ButtonStyle.Secondary),
    ],
  };
}

/**
 * For a message of several papers (an alert, a search answer: up to 10 embeds), select menus
 * listing them — "mark relevant…" and "mark not relevant…" (several at once), and "more like
 * this…" (one) — each in its own row (a select fills one); with the reply's buttons that is four
 * of Discord's five rows.
 */
export function voteSelects(papers: readonly PaperView[], source: VoteSource): ActionRow[] {
  const shown = papers.slice(0, LIMITS.selectOptions);
  if (shown.length === 0) return [];
  const select = (choice: 'relevant' | 'not-relevant', placeholder: string): APIStringSelectComponent => ({
    type: ComponentType.StringSelect,
    custom_id: `lp:votes:${CHOICE_CODES[choice]}:${SOURCE_CODES[source]}`,
    placeholder,
    min_values: 1,
    max_values: shown.length,
    options: shown.map((paper) => ({ label: clip(paper.title.replace(/\s+/g, ' ').trim() || paper.id), value: paper.id, description: `arXiv:${paper.id}` })),
  });
  const like: APIStringSelectComponent = {
    ...select('relevant', '🔎 More like this…'),
    custom_id: `lp:likes:${SOURCE_CODES[source]}`,
    max_values: 1,
  };
  return [
    { type: ComponentType.ActionRow, components: [select('relevant', '👍 Mark relevant for the group…')] },
    { type: ComponentType.ActionRow, components: [select('not-relevant', '👎 Mark not relevant for the group…')] },
    { type: ComponentType.ActionRow, components: [like] },
  ];
}

/** The paper of a "More like this" button (`lp:like:<id>`) or the menu (`lp:likes:<source>`, its value); null for anything else. */
export function parseMoreLikeThis(customId: string, values: readonly string[] = []): string | null {
  const [prefix, kind, value, ...rest] = customId.split(':');
  if (prefix !== 'lp' || rest.length) return null;
  const id = kind === 'like' ? value : kind === 'likes' && byCode(SOURCE_CODES, value) && values.length === 1 ? values[0] : undefined;
  return id && parseArxivId(id)?.base === id ? id : null;
}

/** A vote button's custom_id back; null when it is not one this version makes. */
export function parseVoteButton(customId: string): VotePress | null {
  const [prefix, kind, choiceCode, sourceCode, id, ...rest] = customId.split(':');
  if (prefix !== 'lp' || kind !== 'vote' || rest.length || !id) return null;
  const choice = byCode(CHOICE_CODES, choiceCode);
  const source = byCode(SOURCE_CODES, sourceCode);
  if (!choice || !source || parseArxivId(id)?.base !== id) return null;
  return { choice, source, paperId: id };
}

/** A vote select's custom_id back; null when it is not one this version makes. */
export function parseVoteSelect(customId: string): VoteSelect | null {
  const [prefix, kind, choiceCode, sourceCode, ...rest] = customId.split(':');
  if (prefix !== 'lp' || kind !== 'votes' || rest.length) return null;
  const choice = byCode(CHOICE_CODES, choiceCode);
  const source = byCode(SOURCE_CODES, sourceCode);
  if (!choice || choice === 'clear' || !source) return null;
  return { choice, source };
}

function clip(text: string): string {
  return text.length <= LIMITS.selectOptionText ? text : `${text.slice(0, LIMITS.selectOptionText - 1)}…`;
}
