import { absUrl, pdfUrl } from '../../domain/arxiv-id.ts';
import type { Paper } from '../../domain/paper.ts';
import { html, type SafeHtml } from '../../rendering/html.ts';
import { paths } from '../../rendering/paths.ts';
import type { PaperVersion } from '../../store/papers.ts';
import type { GroupLabel } from '../../store/votes.ts';
import type { WebContext } from '../web-context.ts';
import { layout } from './layout.ts';
import { paperCard, tagChips } from './paper-card.ts';

/**
 * Everything the archive holds about one paper, with its version history, the group's votes on it
 * (`group`) and the papers most like it (`neighbours`; null while they cannot be told yet).
 */
export function paperPage(
  context: WebContext,
  paper: Paper,
  versions: readonly PaperVersion[],
  neighbours: readonly Paper[] | null = null,
  group: GroupLabel | null = null,
): SafeHtml {
  const { classification } = paper;
  const body = html`<article class="paper-page">
<h1>${paper.title}</h1>
${paper.authors.length ? html`<p class="authors">${paper.authors.join(', ')}</p>` : ''}
${verdictNote(paper)}
${groupNote(paper, group)}
${tagChips(classification.tags)}
<p class="links"><a href="${absUrl(paper.id, paper.version)}">arXiv ${paper.id}v${paper.version}</a> <a href="${pdfUrl(paper.id, paper.version)}">PDF</a></p>
${classification.tldr ? html`<section aria-labelledby="tldr"><h2 id="tldr">TL;DR</h2><p>${classification.tldr}</p></section>` : ''}
<section aria-labelledby="abstract"><h2 id="abstract">Abstract</h2><p class="abstract">${paper.abstract || 'No abstract stored.'}</p></section>
<section aria-labelledby="details"><h2 id="details">Details</h2>
<dl class="details">
${paper.announcedOn ? html`<dt>Announced</dt><dd><a href="${paths.day(paper.announcedOn)}">${paper.announcedOn}</a></dd>` : ''}
${paper.categories.length ? html`<dt>Categories</dt><dd>${categories(paper)}</dd>` : ''}
${paper.comment ? html`<dt>Comment</dt><dd>${paper.comment}</dd>` : ''}
${paper.journalRef ? html`<dt>Journal reference</dt><dd>${paper.journalRef}</dd>` : ''}
${paper.doi ? html`<dt>DOI</dt><dd><a href="https://doi.org/${encodeURI(paper.doi)}">${paper.doi}</a></dd>` : ''}
</dl></section>
${versionHistory(paper, versions)}
${moreLikeThis(paper, neighbours)}
</article>`;
  return layout(context, { title: paper.title, body });
}

function moreLikeThis(paper: Paper, neighbours: readonly Paper[] | null): SafeHtml | '' {
  if (neighbours === null || neighbours.length === 0) return '';
  return html`<section aria-labelledby="like"><h2 id="like">More like this</h2>
<div class="results">${neighbours.map((neighbour) => paperCard(neighbour, 'h3'))}</div>
<p class="more"><a href="${paths.search(`like:${paper.id}`)}">All papers like this one →</a></p>
</section>`;
}

function verdictNote(paper: Paper): SafeHtml | '' {
  const { classification } = paper;
  if (classification.relevant === true) return '';
  if (classification.relevant === false)
    return html`<p class="note">Not judged relevant to systems for large models, so it is left out of digests and searches. If it belongs, mark it relevant: <code>/like ${paper.id}</code> in Slack or Discord, or the link in an email alert; the group’s votes bring it in.</p>`;
  return html`<p class="note">Not classified yet; it will be on the next run.</p>`;
}

/** The group's votes on the paper, when there are any; a paper it turned down is left out of listings. */
function groupNote(paper: Paper, group: GroupLabel | null): SafeHtml | '' {
  if (!group || group.relevantVotes + group.notRelevantVotes === 0) return '';
  const votes = `The group: ${group.relevantVotes} relevant, ${group.notRelevantVotes} not.`;
  if (group.label === 'not-relevant' && paper.classification.relevant === true) {
    return html`<p class="note">${votes} The group marked it not relevant, so it is left out of the day’s listing, the feeds and searches.</p>`;
  }
  return html`<p class="votes">${votes}</p>`;
}

function categories(paper: Paper): SafeHtml {
  return html`${paper.categories.map(
    (category, index) => html`${index ? ', ' : ''}${category === paper.primaryCategory ? html`<strong>${category}</strong>` : category}`,
  )}`;
}

function versionHistory(paper: Paper, versions: readonly PaperVersion[]): SafeHtml | '' {
  if (versions.length === 0) return '';
  const rows = versions.map(
    (version) => html`<tr>
<td><a href="${absUrl(paper.id, version.version)}">v${version.version}</a></td>
<td>${version.announcedOn ?? version.updatedAt?.slice(0, 10) ?? '—'}</td>
<td>${version.announceType ?? '—'}</td>
<td>${version.title === paper.title ? '' : version.title}</td>
</tr>`,
  );
  return html`<section aria-labelledby="versions"><h2 id="versions">Versions</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">Version</th><th scope="col">Announced</th><th scope="col">Listed as</th><th scope="col">Title then</th></tr></thead>
<tbody>${rows}</tbody>
</table></div></section>`;
}
