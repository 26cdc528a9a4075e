import { weekdayName } from '../../domain/calendar.ts';
import type { Paper } from '../../domain/paper.ts';
import { html, type SafeHtml } from '../../rendering/html.ts';
import { paths } from '../../rendering/paths.ts';
import type { WebContext } from '../web-context.ts';
import { layout } from './layout.ts';
import { paperCard, standingOf } from './paper-card.ts';

export type DayView = {
  readonly day: string;
  /** The day's relevant papers (less those the group marked not relevant). */
  readonly papers: readonly Paper[];
  /** The day's papers the filter dropped or the group marked not relevant (those in `rejected`). */
  readonly leftOut: readonly Paper[];
  readonly rejected: ReadonlySet<string>;
  /** `?show=dropped`: list `leftOut` below the day's papers. */
  readonly showLeftOut: boolean;
  /** Every paper the archive holds as announced that day, relevant or not. */
  readonly announced: number;
  /** The tag chip selected (`/day/D?tag=MoE`), else null. */
  readonly tag: string | null;
  readonly previous: string | null;
  readonly next: string | null;
};

const UNTAGGED = 'other';

/**
 * One announcement day: tag chips with counts (each filters the day), then the papers grouped by
 * their first tag in vocabulary order — or, with a chip selected, every paper carrying that tag.
 * A chip counts every paper with its tag; a group lists each paper once, under its first tag, so
 * a group heading says how many more carry the tag and links the chip when the two differ.
 */
export function dayPage(context: WebContext, view: DayView): SafeHtml {
  const shown = view.tag ? view.papers.filter((paper) => paper.classification.tags.includes(view.tag as string)) : view.papers;
  const count = view.papers.length;
  const heading = count
    ? `${count === 1 ? '1 paper' : `${count} papers`} announced ${weekdayName(view.day)} ${view.day}`
    : `No relevant papers announced ${weekdayName(view.day)} ${view.day}`;
  const none =
    view.announced === 1
      ? `The one paper announced on ${view.day} is not about systems for large models.`
      : `None of the ${view.announced} papers announced on ${view.day} is about systems for large models.`;
  const body = html`<h1>${heading}</h1>
${dayNavigation(view)}
${count ? tagFilter(context, view) : html`<p class="empty">${none}</p>`}
${view.tag ? html`<section aria-labelledby="group"><h2 id="group">${view.tag} <span class="count">(${shown.length})</span></h2>${shown.map((paper) => paperCard(paper))}</section>` : groups(context, view, shown)}
${leftOut(view)}
${dayNavigation(view)}`;
  return layout(context, { title: `${view.tag ? `${view.tag} · ` : ''}${view.day}`, feed: { title: 'Relevant papers', path: paths.feed() }, body });
}

/**
 * The papers the filter dropped and those the group marked not relevant: a link that shows them,
 * or (shown) the list, each saying which. Marking one relevant — from chat, or an email alert's
 * link — brings it into the archive; the page itself takes no votes (it knows nobody).
 */
function leftOut(view: DayView): SafeHtml | '' {
  const count = view.leftOut.length;
  if (count === 0) return '';
  const what = `${count === 1 ? '1 paper' : `${count} papers`} left out by the filter or marked not relevant by the group`;
  if (!view.showLeftOut) return html`<p class="left-out-toggle"><a href="${paths.day(view.day, view.tag, true)}">Show the ${what}</a></p>`;
  return html`<section aria-labelledby="left-out"><h2 id="left-out">Left out <span class="count">(${count})</span> <a class="more" href="${paths.day(view.day, view.tag)}">hide</a></h2>
<p class="hint">Not in the digest, the feeds or searches (unless a search says <code>include:dropped</code>). If one belongs here, mark it relevant: <code>/like &lt;id&gt;</code> in Slack or Discord, or the link in an email alert.</p>
${view.leftOut.map((paper) => paperCard(paper, 'h3', standingOf(paper, view.rejected)))}</section>`;
}

function dayNavigation(view: DayView): SafeHtml {
  return html`<nav class="pager" aria-label="Days">
${view.previous ? html`<a rel="prev" href="${paths.day(view.previous, view.tag)}">← ${view.previous}</a>` : html`<span></span>`}
${view.next ? html`<a rel="next" href="${paths.day(view.next, view.tag)}">${view.next} →</a>` : html`<span></span>`}
</nav>`;
}

function tagFilter(context: WebContext, view: DayView): SafeHtml {
  const counts = new Map<string, number>();
  for (const paper of view.papers) for (const tag of paper.classification.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  const tags = inVocabularyOrder(context, [...counts.keys()]);
  const chip = (label: string, href: string, selected: boolean) =>
    html`<li><a class="chip" href="${href}"${selected ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<ul class="chips filter" aria-label="Filter by tag">
${chip(`all (${view.papers.length})`, paths.day(view.day), view.tag === null)}
${tags.map((tag) => chip(`${tag} (${counts.get(tag)})`, paths.day(view.day, tag), view.tag === tag))}
</ul>
<p class="hint">A tag shows every paper that carries it; below, each paper is listed once, under its first tag.</p>`;
}

function groups(context: WebContext, view: DayView, papers: readonly Paper[]): SafeHtml {
  const byTag = new Map<string, Paper[]>();
  for (const paper of papers) {
    const tag = paper.classification.tags[0] ?? UNTAGGED;
    const list = byTag.get(tag);
    if (list) list.push(paper);
    else byTag.set(tag, [paper]);
  }
  const order = inVocabularyOrder(
    context,
    [...byTag.keys()].filter((tag) => tag !== UNTAGGED),
  );
  if (byTag.has(UNTAGGED)) order.push(UNTAGGED);
  return html`${order.map((tag, index) => {
    const list = byTag.get(tag) as Paper[];
    const carrying = papers.filter((paper) => paper.classification.tags.includes(tag)).length;
    const more = carrying - list.length;
    const all = more > 0 ? html` <a class="more" href="${paths.day(view.day, tag)}">+ ${more} more with ${tag}</a>` : '';
    return html`<section aria-labelledby="group-${index}"><h2 id="group-${index}">${tag} <span class="count">(${list.length})</span>${all}</h2>
${list.map((paper) => paperCard(paper))}</section>`;
  })}`;
}

/** Tags in the vocabulary's order; tags of an older vocabulary (TAGS_FILE changed) after them, never dropped. */
function inVocabularyOrder(context: WebContext, tags: readonly string[]): string[] {
  const names = context.vocabulary.names();
  const present = new Set(tags);
  return [...names.filter((tag) => present.has(tag)), ...tags.filter((tag) => !names.includes(tag))];
}
