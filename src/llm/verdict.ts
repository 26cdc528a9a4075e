/** What a classifier needs to know about a paper. */
export type PaperText = {
  readonly id: string;
  readonly title: string;
  readonly abstract: string;
  readonly categories: readonly string[];
};

/** A classifier's answer for one paper: tags come from the vocabulary, the TL;DR is plain text. */
export type Verdict = {
  readonly relevant: boolean;
  readonly tags: readonly string[];
  readonly tldr: string | null;
};
