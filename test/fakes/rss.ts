import type { Announcement } from '../../src/domain/paper.ts';
import { escapeXml } from './atom.ts';

/**
 * An announcement feed in the shape arXiv's serializer writes (see the header of
 * test/fixtures/arxiv/rss-2025-12-18.xml): same channel elements, namespaces and item fields in the
 * same order, arxiv:DOI and arxiv:journal_reference when the paper has them; dated midnight ET of
 * `day`. Like arXiv's own feed it lists each paper once: pass each announcement once.
 */
export function renderRssFeed(day: string, items: readonly Announcement[]): string {
  const date = new Date(`${day}T05:00:00Z`).toUTCString().replace('GMT', '+0000');
  const pubDate = new Date(`${day}T05:00:00Z`).toUTCString().replace(' 05:00:00 GMT', ' 00:00:00 -0500');
  const ids = items.map(({ paper }) => paper.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) throw new Error(`arXiv's feed lists each paper once; ${repeated} was given twice`);
  const entries = items.map(({ paper, type }) => {
    const categories = paper.categories.map((category) => `      <category>${escapeXml(category)}</category>`).join('\n');
    return `    <item>
      <title>${escapeXml(paper.title)}</title>
      <link>https://arxiv.org/abs/${paper.id}</link>
      <description>arXiv:${paper.id}v${paper.version} Announce Type: ${type} 
Abstract: ${escapeXml(paper.abstract)}</description>
      <guid isPermaLink="false">oai:arXiv.org:${paper.id}v${paper.version}</guid>
${categories}
      <pubDate>${pubDate}</pubDate>
      <arxiv:announce_type>${type}</arxiv:announce_type>
      <dc:rights>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</dc:rights>${optional('arxiv:DOI', paper.doi)}${optional('arxiv:journal_reference', paper.journalRef)}
      <dc:creator>${escapeXml(paper.authors.join(', '))}</dc:creator>
    </item>`;
  });
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>cs.DC, cs.OS, cs.LG updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.DC+cs.OS+cs.LG</link>
    <description>cs.DC, cs.OS, cs.LG updates on the arXiv.org e-print archive.</description>
    <atom:link href="https://rss.arxiv.org/rss/cs.DC+cs.OS+cs.LG" rel="self" type="application/rss+xml"/>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <language>en-us</language>
    <lastBuildDate>${date}</lastBuildDate>
    <managingEditor>rss-help@arxiv.org</managingEditor>
    <pubDate>${pubDate}</pubDate>
    <skipDays>
      <day>Saturday</day>
      <day>Sunday</day>
    </skipDays>
${entries.join('\n')}
  </channel>
</rss>
`;
}

function optional(element: string, value: string | null): string {
  return value ? `\n      <${element}>${escapeXml(value)}</${element}>` : '';
}
