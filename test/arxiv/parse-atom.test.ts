import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildQueryUrl, rangeQuery } from '../../src/arxiv/api.ts';
import { parseAtom } from '../../src/arxiv/parse-atom.ts';
import { FeedError } from '../../src/arxiv/xml.ts';
import { renderAtomFeed, syntheticEntry } from '../fakes/atom.ts';

const recorded = readFileSync(new URL('../fixtures/arxiv/api-id-query-1911.12281.xml', import.meta.url), 'utf8');

describe('parseAtom', () => {
  it('GIVEN the recorded API response THEN the entry has base id, version and every field', () => {
    const page = parseAtom(recorded);
    expect(page.totalResults).toBe(1);
    expect(page.entries).toEqual([
      expect.objectContaining({
        id: '1911.12281',
        version: 2,
        title: 'Configuration Spaces of Surfaces',
        authors: ['Ricardo Campos', 'Najib Idrissi', 'Thomas Willwacher'],
        categories: ['math.QA', 'math.AT'],
        primaryCategory: 'math.QA',
        comment: '50 pages. v2: fixed typos',
        submittedAt: '2019-11-27T16:52:52Z',
        updatedAt: '2020-04-02T15:26:49Z',
      }),
    ]);
    expect(page.entries[0]?.abstract).toMatch(/^We compute small rational models .* positive loop order\.$/);
  });

  it('GIVEN an id with a trailing zero THEN it stays a string', () => {
    const page = parseAtom(renderAtomFeed([syntheticEntry(0, '2025-12-16T20:00:00Z', { id: '2401.10000' })], { total: 1, start: 0, perPage: 10, query: 'x' }));
    expect(page.entries[0]?.id).toBe('2401.10000');
  });

  it('GIVEN an entry without an id THEN it is skipped and the others parse', () => {
    const xml = recorded.replace('<id>http://arxiv.org/abs/1911.12281v2</id>', '<id></id>');
    const page = parseAtom(
      renderAtomFeed([syntheticEntry(1, '2025-12-16T20:00:00Z')], { total: 2, start: 0, perPage: 10, query: 'x' }).replace(
        '</feed>',
        `${xml.slice(xml.indexOf('<entry>'), xml.indexOf('</feed>'))}</feed>`,
      ),
    );
    expect(page.entries.map((entry) => entry.id)).toEqual(['2512.20001']);
    expect(page.skipped).toEqual([{ ref: 'entry #2', reason: 'no arXiv id' }]);
  });

  it('GIVEN an API error answer THEN it throws with arXiv’s message', () => {
    const error = recorded
      .replace('<id>http://arxiv.org/abs/1911.12281v2</id>', '<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>')
      .replace(/<summary>[\s\S]*<\/summary>/, '<summary>incorrect id format for 1234</summary>');
    expect(() => parseAtom(error)).toThrow(new FeedError('arXiv API error: incorrect id format for 1234'));
  });

  it('GIVEN a truncated response THEN it throws a FeedError', () => {
    expect(() => parseAtom(recorded.slice(0, 1500))).toThrow(FeedError);
  });
});

describe('export API queries', () => {
  it('GIVEN categories and a window THEN the query ORs categories and ends one minute before the cut-off', () => {
    const query = rangeQuery(['cs.DC', 'cs.LG'], 'submittedDate', new Date('2025-12-16T19:00:00Z'), new Date('2025-12-17T19:00:00Z'));
    expect(query).toBe('(cat:cs.DC OR cat:cs.LG) AND submittedDate:[202512161900 TO 202512171859]');
  });

  it('GIVEN paging parameters THEN the URL carries them encoded', () => {
    const url = new URL(buildQueryUrl('http://127.0.0.1:9/api/query', { searchQuery: 'cat:cs.DC', start: 500, maxResults: 500, sortBy: 'submittedDate' }));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      search_query: 'cat:cs.DC',
      start: '500',
      max_results: '500',
      sortBy: 'submittedDate',
      sortOrder: 'ascending',
    });
  });
});
