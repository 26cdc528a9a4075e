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
  const newStyle = NEW_STYLE.exec(bare);
  if (newStyle?.[1] && !isNewStyleBase(newStyle[1])) return null;
  const match = newStyle ?? OLD_STYLE.exec(bare);
  if (!match?.[1]) return null;
  const version = match[2] === undefined ? null : Number(match[2]);
  if (version === 0) return null;
  return { base: match[1], version };
}

/**
 * arXiv's rules for `YYMM.N…` (arxiv.org/help/arxiv_identifier): the scheme began in April 2007
 * (0704), the month is 01–12, and the number has 4 digits up to 1412 and 5 from 1501 on. A shape that
 * breaks them (`2512.0678`) is a typo, said so, rather than looked up as "no such paper".
 */
function isNewStyleBase(base: string): boolean {
  const [yymm = '', number = ''] = base.split('.');
  const month = Number(yymm.slice(2));
  if (Number(yymm) < 704 || month < 1 || month > 12) return false;
  return number.length === (Number(yymm) <= 1412 ? 4 : 5);
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
