import { absUrl, pdfUrl } from '../domain/arxiv-id.ts';
import type { Paper } from '../domain/paper.ts';
import { absolute, paths } from '../rendering/paths.ts';

export type AtomFeed = {
  readonly title: string;
  /** Path and query of the feed itself (its id and rel="self"). */
  readonly selfPath: string;
  /** The page that lists the same papers. */
  readonly pagePath: string;
  readonly baseUrl: string;
  readonly papers: readonly Paper[];
  /** When the feed has no entries, its <updated>. */
  readonly now: Date;
};

/**
 * Atom 1.0 (RFC 4287): feed id, title, updated, author and self link; each entry with id (the
 * arXiv abstract URL without version: stable across versions), title, updated, links, authors,
 * categories and a plain-text summary. All text is escaped and characters XML 1.0 forbids are
 * dropped, so any title or abstract still yields a well-formed feed that readers show as text.
 */
export function renderAtom(feed: AtomFeed): string {
  const entries = feed.papers.map((paper) => entry(paper, feed.baseUrl));
  const updated = feed.papers.map(updatedAt).sort().at(-1) ?? feed.now.toISOString();
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(absolute(feed.baseUrl, feed.selfPath))}</id>
  <title type="text">${xml(feed.title)}</title>
  <updated>${updated}</updated>
  <author><name>lmsys-papers</name></author>
  <generator>lmsys-papers</generator>
  <link rel="self" type="application/atom+xml" href="${xml(absolute(feed.baseUrl, feed.selfPath))}"/>
  <link rel="alternate" type="text/html" href="${xml(absolute(feed.baseUrl, feed.pagePath))}"/>
${entries.join('\n')}
</feed>
`;
}

function entry(paper: Paper, baseUrl: string): string {
  const summary = paper.classification.tldr ?? paper.abstract;
  return `  <entry>
    <id>${xml(absUrl(paper.id))}</id>
    <title type="text">${xml(paper.title)}</title>
    <updated>${updatedAt(paper)}</updated>
    <link rel="alternate" type="text/html" href="${xml(absolute(baseUrl, paths.paper(paper.id)))}"/>
    <link rel="related" type="text/html" title="arXiv" href="${xml(absUrl(paper.id, paper.version))}"/>
    <link rel="related" type="application/pdf" title="PDF" href="${xml(pdfUrl(paper.id, paper.version))}"/>
${paper.authors.map((name) => `    <author><name>${xml(name)}</name></author>`).join('\n')}
${paper.classification.tags.map((tag) => `    <category term="${xml(tag)}"/>`).join('\n')}
    <summary type="text">${xml(summary || paper.title)}</summary>
${paper.abstract ? `    <content type="text">${xml(paper.abstract)}</content>\n` : ''}  </entry>`;
}

/** The announcement day (midnight UTC) when known, else the version's date, else the epoch. */
function updatedAt(paper: Paper): string {
  if (paper.announcedOn) return `${paper.announcedOn}T00:00:00Z`;
  const stamp = paper.updatedAt ?? paper.submittedAt;
  const date = stamp ? new Date(stamp) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '1970-01-01T00:00:00Z';
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text for XML 1.0 content or a quoted attribute. */
export function xml(text: string): string {
  return (
    text
      // Characters XML 1.0 forbids (controls but tab, newline, return; U+FFFE/U+FFFF; with /u, a surrogate
      // matches only when unpaired), and the C1 controls it discourages.
      .replace(/(?![\t\n\r])\p{Cc}|[\uFFFE\uFFFF\uD800-\uDFFF]/gu, '')
      .replace(/[&<>"']/g, (char) => XML_ENTITIES[char] as string)
  );
}
