import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRss } from '../../src/arxiv/parse-rss.ts';
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

  it('GIVEN a paper listed twice (new and cross) THEN it is one announcement of type new', () => {
    const kascade = parseRss(feed).announcements.filter((item) => item.paper.id === '2512.16391');
    expect(kascade).toHaveLength(1);
    expect(kascade[0]?.type).toBe('new');
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
