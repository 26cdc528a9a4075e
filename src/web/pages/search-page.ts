import { describeNarrowing, describeQuery, describeSimilarMethod, formatQuery } from '../../domain/describe-query.ts';
import { hasText, isEmptyQuery, type Query } from '../../domain/query.ts';
import { codeSpans, html, type SafeHtml } from '../../rendering/html.ts';
import { paths } from '../../rendering/paths.ts';
import { DEFAULT_TUNING } from '../../store/search.ts';
import type { ArchiveSearch } from '../search-archive.ts';
import type { WebContext } from '../web-context.ts';
import { layout } from './layout.ts';
import { paperCard, standingOf } from './paper-card.ts';

/** Results of a search, with tag chips that add or remove a tag and links to the next and previous pages. */
export function searchPage(context: WebContext, search: ArchiveSearch): SafeHtml {
  const { query, papers, offset } = search;
  const heading = isEmptyQuery(query) ? 'The newest papers' : capitalise(describeQuery(search.searched));
  const range = papers.length ? `${offset + 1}–${offset + papers.length}` : '';
  const order = search.like ? `most similar first, ${describeSimilarMethod(search.like.method)}` : hasText(query) ? 'best match first' : 'newest first';
  const body = html`<h1>${codeSpans(heading)}</h1>
${search.like ? html`<p class="summary">Like <a href="${paths.paper(search.like.source.id)}">${search.like.source.title}</a></p>` : ''}
${tagToggles(context, query)}
${papers.length ? html`<p class="summary">Results ${range}, ${order}.</p>` : html`<p class="empty">${offset > 0 ? 'No more results.' : 'Nothing matched. Try fewer words, another tag, or a longer period such as “last year”.'}</p>`}
${search.narrowed ? html`<p class="summary">${codeSpans(describeNarrowing(search.searched, DEFAULT_TUNING.broad))}</p>` : ''}
${subscribeHint(context, query)}
${droppedToggle(search)}
<div class="results">${papers.map((paper) => paperCard(paper, 'h2', query.includeDropped ? standingOf(paper, search.rejected) : null))}</div>
${pager(search)}
${search.like ? '' : html`<p class="feed-link"><a href="${paths.feed(search.text)}">Atom feed of this search</a></p>`}`;
  return layout(context, {
    title: search.text || 'Search',
    query: search.text,
    // A paper's neighbours have no feed: they are a list, not a stream of new papers.
    ...(search.like ? {} : { feed: { title: `Papers: ${search.text || 'all'}`, path: paths.feed(search.text) } }),
    body,
  });
}

/** An error the person can fix (a bad tag, too long a query): the search box keeps their text. */
export function searchErrorPage(context: WebContext, text: string, message: string): SafeHtml {
  const body = html`<h1>That search needs a change</h1>
<p class="error" role="alert">${codeSpans(message)}</p>
<p>See <a href="/help">how to search</a>.</p>`;
  return layout(context, { title: 'Search', query: text, body });
}

/** Every tag as a chip: a selected tag's chip removes it from the query, another adds it. */
function tagToggles(context: WebContext, query: Query): SafeHtml {
  const chips = context.vocabulary.names().map((tag) => {
    const selected = query.tags.includes(tag);
    const tags = selected ? query.tags.filter((other) => other !== tag) : [...query.tags, tag];
    const href = paths.search(formatQuery({ ...query, tags }));
    return html`<li><a class="chip" href="${href}"${selected ? html` aria-current="true"` : ''}>${selected ? `✓ ${tag}` : tag}</a></li>`;
  });
  return html`<ul class="chips filter" aria-label="Filter by tag">${chips}</ul>`;
}

function subscribeHint(context: WebContext, query: Query): SafeHtml | '' {
  if (!context.email || query.tags.length !== 1 || hasText(query) || query.like) return '';
  const tag = query.tags[0] as string;
  return html`<p class="summary"><a href="${paths.subscribe(tag)}">Get new ${tag} papers by email</a></p>`;
}

/**
 * The switch for `include:dropped`: papers the filter left out, and those the group marked not
 * relevant, are searched too (and each says which), so one that belongs can be found and voted in.
 */
function droppedToggle(search: ArchiveSearch): SafeHtml {
  const { query } = search;
  if (!query.includeDropped) {
    const href = paths.search(formatQuery({ ...query, includeDropped: true }));
    return html`<p class="summary"><a href="${href}">Search the papers the filter left out too</a></p>`;
  }
  const window = search.newestSearched ? ` Words were searched in the newest ${search.newestSearched.toLocaleString('en-US')} papers of those dates.` : '';
  const href = paths.search(formatQuery({ ...query, includeDropped: false }));
  return html`<p class="summary">Papers the filter left out or the group marked not relevant are included, each marked.${window} <a href="${href}">Leave them out</a></p>`;
}

function pager(search: ArchiveSearch): SafeHtml | '' {
  if (!search.previous && !search.next) return '';
  return html`<nav class="pager" aria-label="Result pages">
${search.previous ? html`<a rel="prev" href="${paths.search(search.text, search.previous.cursor)}">← Previous</a>` : html`<span></span>`}
${search.next ? html`<a rel="next" href="${paths.search(search.text, search.next)}">Next →</a>` : html`<span></span>`}
</nav>`;
}

function capitalise(text: string): string {
  return text.startsWith('papers') ? `P${text.slice(1)}` : text;
}
