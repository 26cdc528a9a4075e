/** What arXiv tells us about one version of a paper; identity is `id` (the base id). */
export type PaperRecord = {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly abstract: string;
  readonly authors: readonly string[];
  readonly categories: readonly string[];
  readonly primaryCategory: string | null;
  readonly comment: string | null;
  readonly journalRef: string | null;
  readonly doi: string | null;
  /** ISO-8601 instant of v1 submission, when the source gives it (the RSS feed does not). */
  readonly submittedAt: string | null;
  /** ISO-8601 instant of this version, when known. */
  readonly updatedAt: string | null;
};

export const ANNOUNCE_TYPES = ['new', 'cross', 'replace', 'replace-cross'] as const;
export type AnnounceType = (typeof ANNOUNCE_TYPES)[number];

/** One line of a day's announcement: a paper and why it appeared. */
export type Announcement = {
  readonly paper: PaperRecord;
  readonly type: AnnounceType;
};

export function isReplacement(type: AnnounceType): boolean {
  return type === 'replace' || type === 'replace-cross';
}

export const CLASSIFICATION_STATUSES = ['pending', 'done', 'failed'] as const;
export type ClassificationStatus = (typeof CLASSIFICATION_STATUSES)[number];

export type Classification = {
  readonly status: ClassificationStatus;
  /** null until a verdict exists. */
  readonly relevant: boolean | null;
  readonly tags: readonly string[];
  readonly tldr: string | null;
  /** Who decided: an LLM model name, `keywords` for the offline classifier, `import` for the seed. */
  readonly model: string | null;
  readonly promptHash: string | null;
  /** The paper version the verdict was made for. */
  readonly version: number | null;
  readonly error: string | null;
  readonly attempts: number;
};

/** A stored paper with its verdict, as read back from the archive. */
export type Paper = PaperRecord & {
  /** ET date (YYYY-MM-DD) of the announcement that first listed it as new or cross-list. */
  readonly announcedOn: string | null;
  readonly classification: Classification;
};

export const PENDING: Classification = {
  status: 'pending',
  relevant: null,
  tags: [],
  tldr: null,
  model: null,
  promptHash: null,
  version: null,
  error: null,
  attempts: 0,
};
