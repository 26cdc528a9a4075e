import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { xml } from '../../src/web/atom.ts';
import { storeClassified, storeDay } from '../helpers/classified.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb } from '../helpers/web.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');

type Link = { '@_rel'?: string; '@_href': string; '@_type'?: string };
type Entry = {
  id: string;
  title: { '#text': string; '@_type': string };
  updated: string;
  link: Link[];
  author?: { name: string }[];
  category?: { '@_term': string }[];
  summary: { '#text': string };
};
type Feed = { id: string; title: { '#text': string }; updated: string; author: { name: string }[]; link: Link[]; entry?: Entry[] };

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  removeNSPrefix: true,
  isArray: (name) => ['entry', 'link', 'author', 'category'].includes(name),
  alwaysCreateTextNode: false,
});

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ABSOLUTE = /^https?:\/\/[^\s]+$/;

/**
 * The elements RFC 4287 requires, checked as a feed reader would rely on them: feed id, title,
 * updated, author (feed or every entry), a self link; per entry id, title, updated and an
 * alternate link; every date RFC 3339, every id and link absolute.
 */
function expectValidAtom(text: string): Feed {
  expect(XMLValidator.validate(text)).toBe(true);
  const document = parser.parse(text) as { feed: Feed };
  const feed = document.feed;
  expect(text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
  expect(feed.id).toMatch(ABSOLUTE);
  expect(feed.title['#text']).toBeTruthy();
  expect(feed.updated).toMatch(RFC3339);
  expect(feed.author[0]?.name).toBeTruthy();
  expect(feed.link.find((link) => link['@_rel'] === 'self')?.['@_href']).toMatch(ABSOLUTE);
  const ids = new Set<string>();
  for (const entry of feed.entry ?? []) {
    expect(entry.id).toMatch(ABSOLUTE);
    ids.add(entry.id);
    expect(entry.title['#text']).toBeTruthy();
    expect(entry.title['@_type']).toBe('text');
    expect(entry.updated).toMatch(RFC3339);
    expect(entry.updated <= feed.updated).toBe(true);
    const alternates = entry.link.filter((link) => link['@_rel'] === 'alternate');
    expect(alternates).toHaveLength(1);
    expect(alternates[0]?.['@_href']).toMatch(ABSOLUTE);
  }
  expect(ids.size).toBe(feed.entry?.length ?? 0);
  return feed;
}

describe('Atom feeds', () => {
  let app: App;
  let web: TestWeb;
  const feed = async (path: string) => {
    const response = await web.get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    return expectValidAtom(await response.text());
  };

  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    await storeDay(app, '2025-12-16', 1, 3, ['serving']);
    await storeDay(app, '2025-12-17', 10, 2, ['MoE', 'serving']);
    await storeClassified(app, paperRecord(20, { title: 'Old MoE serving paper with a kv cache' }), '2025-11-03', { tags: ['MoE'] });
    await storeClassified(app, paperRecord(21, { title: 'Irrelevant MoE paper' }), '2025-12-18', { relevant: false, tags: [] });
    await storeClassified(app, paperRecord(22, { title: 'Untitled authors', authors: [] }), '2025-12-18', { tags: ['kernel'], tldr: null });
    web = await startTestWeb(app);
  });
  afterAll(async () => {
    await web.close();
    await app.close();
  });

  it('GIVEN /feed.atom THEN every relevant paper, newest first, with links, authors, tags and summary', async () => {
    const atom = await feed('/feed.atom');
    expect(atom.id).toBe(`${web.url}/feed.atom`);
    expect(atom.updated).toBe('2025-12-18T00:00:00Z');
    expect(atom.entry?.map((entry) => entry.id)).toEqual([
      'https://arxiv.org/abs/2512.10022',
      'https://arxiv.org/abs/2512.10011',
      'https://arxiv.org/abs/2512.10010',
      'https://arxiv.org/abs/2512.10003',
      'https://arxiv.org/abs/2512.10002',
      'https://arxiv.org/abs/2512.10001',
      'https://arxiv.org/abs/2512.10020',
    ]);
    const first = atom.entry?.[1] as Entry;
    expect(first.link.map((link) => [link['@_rel'], link['@_href']])).toEqual([
      ['alternate', `${web.url}/paper/2512.10011`],
      ['related', 'https://arxiv.org/abs/2512.10011v1'],
      ['related', 'https://arxiv.org/pdf/2512.10011v1'],
    ]);
    expect(first.author?.map((author) => author.name)).toEqual(['Author 11', 'Grace Hopper']);
    expect(first.category?.map((category) => category['@_term'])).toEqual(['MoE', 'serving']);
    expect(first.summary['#text']).toBe('TL;DR of Paper 11: Efficient LLM Serving with Batching.');
  });

  it('GIVEN a paper without authors or TL;DR THEN its entry still validates (feed author, abstract as summary)', async () => {
    const entry = (await feed('/feed.atom?tag=kernel')).entry?.[0] as Entry;
    expect(entry.author).toBeUndefined();
    expect(entry.summary['#text']).toMatch(/^We present system 22/);
  });

  it.each([
    ['/feed.atom?tag=MoE', ['2512.10011', '2512.10010', '2512.10020']],
    ['/feed.atom?q=MoE', ['2512.10011', '2512.10010', '2512.10020']],
    ['/feed.atom?q=MoE+serving', ['2512.10011', '2512.10010']],
    // With words, a feed lists the newest matches, not the best-ranked ones.
    ['/feed.atom?q=kv+cache', ['2512.10020']],
    ['/feed.atom?q=batching+-MoE', ['2512.10003', '2512.10002', '2512.10001']],
    ['/feed.atom?q=nothing+matches+this', []],
  ])('GIVEN %s THEN the entries are %j', async (path, ids) => {
    const atom = await feed(path);
    expect((atom.entry ?? []).map((entry) => entry.id.replace('https://arxiv.org/abs/', ''))).toEqual(ids);
    expect(atom.link.find((link) => link['@_rel'] === 'self')?.['@_href']).toBe(`${web.url}${path}`);
  });

  it('GIVEN a feed with no entries THEN it is still a valid feed, updated now', async () => {
    expect((await feed('/feed.atom?q=nothing+matches+this')).updated).toBe('2025-12-19T01:30:00.000Z');
  });

  it('GIVEN a query the parser rejects THEN 400 in plain text', async () => {
    const response = await web.get('/feed.atom?q=tag:nonsense');
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^“nonsense” is not a tag\./);
  });

  it('GIVEN text with markup, quotes and characters XML forbids THEN xml() leaves well-formed text', () => {
    const text = `a < b & "c" 'd' \u0000\u0007\u001b e \ud800 f \u{1F600} \t\n`;
    expect(xml(text)).toBe(`a &lt; b &amp; &quot;c&quot; &apos;d&apos;  e  f \u{1F600} \t\n`);
    expect(XMLValidator.validate(`<t a="${xml(text)}">${xml(text)}</t>`)).toBe(true);
  });
});
