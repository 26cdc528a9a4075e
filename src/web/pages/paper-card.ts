import { absUrl, pdfUrl } from '../../domain/arxiv-id.ts';
import type { Paper } from '../../domain/paper.ts';
import { type PaperStanding, STANDING_WORDS } from '../../domain/reply.ts';
import { html, type SafeHtml } from '../../rendering/html.ts';
import { paths } from '../../rendering/paths.ts';

const SHOWN_AUTHORS = 6;

/**
 * One paper in a list: title (to its page), authors, day, tags, TL;DR and the arXiv links; with a
 * `standing`, why it is not among the archive's relevant papers.
 */
export function paperCard(paper: Paper, heading: 'h2' | 'h3' = 'h3', standing: PaperStanding | null = null): SafeHtml {
  const title = html`<a href="${paths.paper(paper.id)}">${paper.title}</a>`;
  return html`<article class="paper${standing ? ' left-out' : ''}">
${heading === 'h2' ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`}
${standing ? html`<p class="standing">${capitalised(STANDING_WORDS[standing])}</p>` : ''}
${meta(paper)}
${tagChips(paper.classification.tags)}
${paper.classification.tldr ? html`<p class="tldr">${paper.classification.tldr}</p>` : ''}
<p class="links"><a href="${absUrl(paper.id, paper.version)}">arXiv</a> <a href="${pdfUrl(paper.id, paper.version)}">PDF</a></p>
</article>`;
}

/** Authors and day, joined by a dot only when both are there; nothing when neither is. */
function meta(paper: Paper): SafeHtml | '' {
  const parts: SafeHtml[] = [];
  if (paper.authors.length) parts.push(html`${authorLine(paper.authors)}`);
  if (paper.announcedOn) parts.push(html`<time datetime="${paper.announcedOn}">${paper.announcedOn}</time>`);
  if (parts.length === 0) return '';
  return html`<p class="meta">${parts.map((part, index) => html`${index ? ' · ' : ''}${part}`)}</p>`;
}

export function authorLine(authors: readonly string[]): string {
  if (authors.length <= SHOWN_AUTHORS) return authors.join(', ');
  return `${authors.slice(0, SHOWN_AUTHORS).join(', ')} et al. (${authors.length} authors)`;
}

/** A paper's tags as links to a search for each. */
export function tagChips(tags: readonly string[]): SafeHtml | '' {
  if (tags.length === 0) return '';
  return html`<ul class="chips" aria-label="Tags">${tags.map((tag) => html`<li><a class="chip" href="${paths.search(tag)}">${tag}</a></li>`)}</ul>`;
}

/** Which of these the filter dropped or the group marked not relevant (`rejected`: the ids the group turned down). */
export function standingOf(paper: Paper, rejected: ReadonlySet<string>): PaperStanding | null {
  if (paper.classification.relevant !== true) return 'dropped';
  return rejected.has(paper.id) ? 'rejected' : null;
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
