import { html, type SafeHtml } from '../../rendering/html.ts';
import { paths } from '../../rendering/paths.ts';
import { DEFAULT_TUNING } from '../../store/search.ts';
import type { WebContext } from '../web-context.ts';
import { layout } from './layout.ts';

const EXAMPLES = [
  'MoE offloading 2025-12',
  'serving last week',
  '"speculative decoding" -survey',
  'kv cache past 3 days',
  'author:"Song Han" since 2025-06-01',
  'MoE OR serving last week',
];

/** The query language of `/papers`, which the search box speaks too. */
export function helpPage(context: WebContext): SafeHtml {
  const body = html`<h1>How to search</h1>
<p>The search box speaks the same language as the <code>/papers</code> slash command.</p>
<ul class="help">
<li><strong>Tags</strong> by name or synonym, any case: ${context.vocabulary.names().map((tag, index) => html`${index ? ' ' : ''}<a class="chip" href="${paths.search(tag)}">${tag}</a>`)}. Several tags find papers with all of them; <code>-MoE</code> or <code>-tag:MoE</code> leaves a tag out.</li>
<li><strong>Dates</strong> of the announcement: <code>today</code>, <code>last week</code>, <code>past 3 days</code>, <code>this month</code>, <code>2025-12</code>, <code>dec 2025</code>, <code>2025-12-01..2025-12-15</code>, <code>since 2025-12-01</code>, <code>2025-12-01..</code> (since), <code>..2025-12-15</code> (until).</li>
<li><strong>Text</strong>: words (all must appear, stemmed), <code>"exact phrases"</code>, <code>-word</code> to exclude, <code>author:Han</code> or <code>author:"Song Han"</code>, <code>-author:Han</code> to leave an author out.</li>
<li><strong>OR</strong> between two tags, words, phrases or authors: either will do, as in <code>MoE OR serving</code> or <code>"kv cache" OR offloading</code>. It binds only its two neighbours: <code>kv MoE OR serving</code> is <code>kv</code> and (<code>MoE</code> or <code>serving</code>).</li>
<li><strong>include:dropped</strong>: the papers the filter left out, and those the group marked not relevant, are searched too, each marked, as in <code>include:dropped kv cache last week</code> (by words, among the newest 5,000 papers of those dates). Mark one that belongs relevant with <code>/like &lt;id&gt;</code> in Slack or Discord, or from an email alert, and it joins the archive.</li>
<li><strong>like:</strong> an arXiv id (or <code>arXiv:…</code>, a versioned id, an abs URL): the papers most similar to that one, most similar first, as in <code>like:2512.16473</code>. Dates and tags narrow them (<code>like:2512.16473 MoE since 2025-06</code>); words do not combine with it. Every paper's page lists its five nearest.</li>
</ul>
<p>Text is ranked best match first (the title counts most). Words in more than ${DEFAULT_TUNING.broad.toLocaleString('en-US')} papers, such as <code>memory</code>, are ranked among their newest matches unless the search has a date: add one (<code>since 2023-01-01</code>) to rank them all.</p>
<h2>Examples</h2>
<ul>${EXAMPLES.map((example) => html`<li><a href="${paths.search(example)}"><code>${example}</code></a></li>`)}</ul>
<h2>Feeds and data</h2>
<p>Every search has an Atom feed: <a href="${paths.feed('MoE serving')}"><code>/feed.atom?q=MoE+serving</code></a>. The same results as JSON: <a href="${paths.apiPapers('MoE serving')}"><code>/api/papers?q=MoE+serving</code></a>.</p>`;
  return layout(context, { title: 'How to search', body });
}
