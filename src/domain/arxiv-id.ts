/**
 * arXiv identifiers. A paper's identity is its base id; the version is a separate field, so
 * `2512.16473v1` and `2512.16473v2` are one paper. Both schemes parse:
 * new-style `YYMM.NNNNN` (4-digit sequence before 2015) and old-style `archive[.SUB]/YYMMNNN`.
 */
export type ArxivId = {
  readonly base: string;
  /** null when the text named no version (e.g. `arxiv.org/abs/2512.16473`). */
  readonly version: number | null;
};

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;
// Prefixes seen in the wild: abs/pdf URLs, OAI identifiers (RSS guids) and the `arXiv:` label.
const PREFIX = /^(?:https?:\/\/(?:export\.|www\.)?arxiv\.org\/(?:abs|pdf)\/|oai:arXiv\.org:|arxiv:)/i;

export function parseArxivId(text: string): ArxivId | null {
  const bare = text
    .trim()
    .replace(PREFIX, '')
    .replace(/\.pdf$/, '');
  const match = NEW_STYLE.exec(bare) ?? OLD_STYLE.exec(bare);
  if (!match?.[1]) return null;
  const version = match[2] === undefined ? null : Number(match[2]);
  if (version === 0) return null;
  return { base: match[1], version };
}

export function formatArxivId(id: ArxivId): string {
  return id.version === null ? id.base : `${id.base}v${id.version}`;
}

export function absUrl(base: string, version?: number | null): string {
  return `https://arxiv.org/abs/${base}${version ? `v${version}` : ''}`;
}

export function pdfUrl(base: string, version?: number | null): string {
  return `https://arxiv.org/pdf/${base}${version ? `v${version}` : ''}`;
}
