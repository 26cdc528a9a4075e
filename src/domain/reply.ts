/**
 * What a command returns and what every adapter renders. Data only: adapters own transport rules
 * (acknowledgement deadlines, size limits, escaping); renderers never decide anything.
 *
 * All strings are plain text. They may contain untrusted text (paper titles, TL;DRs, the user's own
 * query), so every renderer escapes every string for its platform. The one markup a command may use
 * is a `code span` in backticks (tag names, example commands); commands strip backticks from
 * untrusted text before they put it in one.
 */
export type PaperView = {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly url: string;
  readonly pdfUrl: string;
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  /** Announcement day, YYYY-MM-DD. */
  readonly day: string | null;
  readonly tldr: string | null;
  /** Why this paper is shown to this person ("MoE", "keyword: speculative decoding"), in alerts. */
  readonly reasons?: readonly string[];
  /** A newer version of a paper shown before, not a new paper. */
  readonly isUpdate?: boolean;
  /** Shown by `include:dropped`: the filter left it out (`dropped`), or the group marked it not relevant (`rejected`). */
  readonly standing?: PaperStanding;
};

export type PaperStanding = 'dropped' | 'rejected';

/** How a paper's standing reads, in every renderer. */
export const STANDING_WORDS: Readonly<Record<PaperStanding, string>> = {
  dropped: 'left out by the filter',
  rejected: 'marked not relevant by the group',
};

/** A button under a reply. `more` pages (same command, `cursor`), `subscribe` adds a tag, `share` re-posts publicly. */
export type ReplyAction =
  | { readonly kind: 'more'; readonly command: string; readonly cursor: string }
  | { readonly kind: 'subscribe'; readonly tag: string }
  | { readonly kind: 'share'; readonly command: string; readonly input: string };

export type Reply = {
  readonly text: string;
  readonly papers?: readonly PaperView[];
  /** Opaque; give it back to the same command for the next page. */
  readonly cursor?: string | null;
  /** Shown only to the caller (ephemeral in Slack and Discord). */
  readonly private: boolean;
  readonly actions?: readonly ReplyAction[];
};
