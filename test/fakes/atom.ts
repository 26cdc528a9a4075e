/**
 * Renders export-API answers in the shape of the recorded response in
 * test/fixtures/arxiv/api-id-query-1911.12281.xml (same elements, namespaces and attributes).
 */
export type AtomEntry = {
  readonly id: string;
  readonly version: number;
  readonly published: string;
  readonly updated: string;
  readonly title: string;
  readonly summary: string;
  readonly authors: readonly string[];
  readonly categories: readonly string[];
  readonly comment?: string;
  readonly doi?: string;
};

export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export function renderAtomEntry(entry: AtomEntry): string {
  const vid = `${entry.id}v${entry.version}`;
  const primary = entry.categories[0] ?? 'cs.DC';
  return `  <entry>
    <id>http://arxiv.org/abs/${vid}</id>
    <updated>${entry.updated}</updated>
    <published>${entry.published}</published>
    <title>${escapeXml(entry.title)}</title>
    <summary>
      ${escapeXml(entry.summary)}
    </summary>
${entry.authors.map((name) => `    <author>\n      <name>${escapeXml(name)}</name>\n    </author>`).join('\n')}
${entry.comment ? `    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">${escapeXml(entry.comment)}</arxiv:comment>\n` : ''}${entry.doi ? `    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">${entry.doi}</arxiv:doi>\n` : ''}    <link href="http://arxiv.org/abs/${vid}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/${vid}" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="${primary}" scheme="http://arxiv.org/schemas/atom"/>
${entry.categories.map((term) => `    <category term="${term}" scheme="http://arxiv.org/schemas/atom"/>`).join('\n')}
  </entry>`;
}

export function renderAtomFeed(entries: readonly AtomEntry[], page: { total: number; start: number; perPage: number; query: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?${escapeXml(encodeURIComponent(page.query))}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: ${escapeXml(page.query)}</title>
  <id>http://arxiv.org/api/fake</id>
  <updated>2025-12-19T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${page.total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${page.start}</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${page.perPage}</opensearch:itemsPerPage>
${entries.map(renderAtomEntry).join('\n')}
</feed>
`;
}

/** A plausible systems paper, numbered so ids and dates are unique and ordered. */
export function syntheticEntry(index: number, published: string, overrides: Partial<AtomEntry> = {}): AtomEntry {
  return {
    id: `2512.${String(20000 + index).padStart(5, '0')}`,
    version: 1,
    published,
    updated: published,
    title: `Paper ${index}: Scheduling KV Cache Transfers for Disaggregated LLM Serving`,
    summary: `We study paper ${index}. Disaggregated prefill and decode move the KV cache between GPUs; our scheduler overlaps transfers with compute and improves goodput by ${(index % 40) + 10}% on a 64-GPU cluster.`,
    authors: [`Author ${index}`, 'Second Author'],
    categories: ['cs.DC', 'cs.LG'],
    ...overrides,
  };
}
