import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRss, splitAuthors } from '../../src/arxiv/parse-rss.ts';
import { FeedError } from '../../src/arxiv/xml.ts';

const feed = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-18.xml', import.meta.url), 'utf8');
const holiday = readFileSync(new URL('../fixtures/arxiv/rss-2025-12-25-holiday.xml', import.meta.url), 'utf8');

describe('parseRss', () => {
  it('GIVEN the day feed THEN its day is the ET date of pubDate', () => {
    expect(parseRss(feed).day).toBe('2025-12-18');
  });

  it('GIVEN new, cross, replace and replace-cross items THEN each keeps its announce type and version', () => {
    const byId = new Map(parseRss(feed).announcements.map((item) => [item.paper.id, item]));
    expect(byId.get('2512.16473')).toMatchObject({ type: 'new', paper: { version: 1, primaryCategory: 'cs.DC', categories: ['cs.DC', 'cs.LG'] } });
    expect(byId.get('2512.16001')?.type).toBe('cross');
    expect(byId.get('2512.10001')).toMatchObject({ type: 'replace', paper: { version: 2 } });
    expect(byId.get('2501.09999')).toMatchObject({ type: 'replace-cross', paper: { version: 3 } });
  });

  it('GIVEN the multi-category feed THEN it lists each paper once, as arXiv does', () => {
    const guids = [...feed.matchAll(/<guid isPermaLink="false">oai:arXiv\.org:([^<]+)<\/guid>/g)].map((match) => match[1]);
    expect(new Set(guids).size).toBe(guids.length);
    expect(parseRss(feed).announcements.map((item) => item.paper.id)).toEqual([
      '2512.16473',
      '2512.16391',
      '2512.16001',
      '2512.16100',
      '2512.10001',
      '2501.09999',
    ]);
  });

  it('GIVEN a paper listed twice anyway (cross and new) THEN it is one announcement of the strongest type', () => {
    const start = feed.indexOf('    <item>\n      <title>Kascade');
    const kascade = feed.slice(start, feed.indexOf('</item>', start) + '</item>\n'.length);
    const twice = feed.replace(kascade, `${kascade.replaceAll('Announce Type: new', 'Announce Type: cross').replace('>new<', '>cross<')}${kascade}`);
    const listed = parseRss(twice).announcements.filter((item) => item.paper.id === '2512.16391');
    expect(listed).toHaveLength(1);
    expect(listed[0]?.type).toBe('new');
  });

  it('GIVEN dc:creator with affiliations in parentheses THEN the authors are the names alone', () => {
    const byId = new Map(parseRss(feed).announcements.map((item) => [item.paper.id, item.paper]));
    expect(byId.get('2512.16001')?.authors).toEqual(['Alice Zhang', 'Bob Liu']);
    expect(byId.get('2512.10001')?.authors).toEqual(['Carol Lee', 'Dave Kim']);
  });

  it('GIVEN arxiv:DOI and arxiv:journal_reference THEN the paper keeps them; without them they are null', () => {
    const byId = new Map(parseRss(feed).announcements.map((item) => [item.paper.id, item.paper]));
    expect(byId.get('2512.16001')).toMatchObject({
      doi: '10.5555/invented.2512.16001',
      journalRef: "Proceedings of the 31st ACM Symposium on Operating Systems Principles (SOSP '25), 2025",
    });
    expect(byId.get('2512.10001')).toMatchObject({ doi: null, journalRef: "EuroSys '26" });
    expect(byId.get('2512.16473')).toMatchObject({ doi: null, journalRef: null });
  });

  it.each([
    ['Alice Zhang (MIT, CSAIL), Bob Liu', ['Alice Zhang', 'Bob Liu']],
    ['Dave Kim (KAIST (School of Computing)), Eve Park', ['Dave Kim', 'Eve Park']],
    ['Ann Anderson and Bo Li', ['Ann Anderson', 'Bo Li']],
    ['X Wang (Lab of A and B), Y Chen', ['X Wang', 'Y Chen']],
    ['Solo Author', ['Solo Author']],
  ])('GIVEN dc:creator %j THEN the authors are %j', (creator, authors) => {
    expect(splitAuthors(creator)).toEqual(authors);
  });

  it('GIVEN an item THEN title, abstract and authors are clean text with entities decoded', () => {
    const kascade = parseRss(feed).announcements.find((item) => item.paper.id === '2512.16391');
    expect(kascade?.paper.title).toBe('Kascade: A Practical Sparse Attention Method for Long-Context LLM Inference');
    expect(kascade?.paper.abstract).toMatch(/^We present Kascade, .* layers & heads\. .* <with> minimal accuracy loss\.$/);
    expect(kascade?.paper.authors).toEqual(['Dhruv Deshmukh', 'Saurabh Goyal', 'Nipun Kwatra', 'Ramachandran Ramjee']);
  });

  it('GIVEN an item without an arXiv id THEN it is skipped with its reason and the rest still parse', () => {
    const parsed = parseRss(feed);
    expect(parsed.skipped).toEqual([{ ref: 'https://arxiv.org/abs/', reason: 'no arXiv id in guid or description' }]);
    expect(parsed.announcements).toHaveLength(6);
  });

  it('GIVEN the holiday feed THEN it has a day and no announcements', () => {
    expect(parseRss(holiday)).toEqual({ day: '2025-12-25', announcements: [], skipped: [] });
  });

  it.each([
    ['a truncated body', feed.slice(0, feed.length / 2)],
    ['an HTML error page', '<html><body><h1>503 Service Unavailable</h1></body></html>'],
    ['an empty body', ''],
  ])('GIVEN %s THEN it throws a FeedError', (_name, body) => {
    expect(() => parseRss(body)).toThrow(FeedError);
  });
});
