import { html, type SafeHtml } from '../../rendering/html.ts';
import { paths } from '../../rendering/paths.ts';
import type { WebContext } from '../web-context.ts';

export type PageShell = {
  readonly title: string;
  /** What the search box shows (the current query on the search page). */
  readonly query?: string;
  /** The Atom feed of what this page lists, offered to browsers and feed readers. */
  readonly feed?: { readonly title: string; readonly path: string } | null;
  /** Pages reached through emailed tokens are kept out of search engines. */
  readonly noIndex?: boolean;
  readonly body: SafeHtml;
};

/** The frame of every page: one stylesheet, no script, a search box and the navigation. */
export function layout(context: WebContext, page: PageShell): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
${page.noIndex ? html`<meta name="robots" content="noindex">` : ''}
<title>${page.title} · lmsys-papers</title>
<link rel="stylesheet" href="${paths.style(context.styleVersion)}">
${page.feed ? html`<link rel="alternate" type="application/atom+xml" title="${page.feed.title}" href="${page.feed.path}">` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to the papers</a>
<header class="site">
<a class="brand" href="${paths.home()}">lmsys-papers</a>
<form class="search" role="search" action="/search" method="get">
<label for="q" class="visually-hidden">Search the archive</label>
<input id="q" name="q" type="search" value="${page.query ?? ''}" placeholder="MoE offloading last month" maxlength="500" autocomplete="off" spellcheck="false">
<button type="submit">Search</button>
</form>
<nav aria-label="Site">
<a href="${paths.home()}">Latest day</a>
<a href="/help">Search help</a>
${context.email ? html`<a href="${paths.subscribe()}">Email alerts</a>` : ''}
<a href="${page.feed?.path ?? paths.feed()}">Atom feed</a>
</nav>
</header>
<main id="main">
${page.body}
</main>
<footer class="site">
<p>Systems-for-large-models papers from arXiv cs.DC, cs.OS and cs.LG, tagged and summarised every announcement day.
Data from <a href="https://arxiv.org/">arXiv</a>; JSON at <a href="/api/papers">/api/papers</a>.</p>
</footer>
</body>
</html>
`;
}
