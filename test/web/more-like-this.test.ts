import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { importReadme } from '../../src/pipeline/import-readme.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb } from '../helpers/web.ts';

const seed = readFileSync(new URL('../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');
const MOE_PAPER = '2512.16473';

const paperLinks = (html: string) => [...html.matchAll(/<a href="\/paper\/([^"]+)">/g)].map((match) => match[1] as string);

describe('more like this on the web', () => {
  let app: App;
  let web: TestWeb;
  const page = async (path: string) => {
    const response = await web.get(path);
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  beforeAll(async () => {
    app = await openTestApp({ DIGEST_TIMEZONE: 'Asia/Shanghai' }, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
    web = await startTestWeb(app);
  });
  afterAll(async () => {
    await web.close();
    await app.close();
  });

  it('GIVEN a paper page THEN a "More like this" section lists its five nearest papers and links to the rest', async () => {
    const { status, text } = await page(`/paper/${MOE_PAPER}`);
    expect(status).toBe(200);
    const section = text.slice(text.indexOf('<section aria-labelledby="like">'));
    expect(section).toMatch(/^<section aria-labelledby="like"><h2 id="like">More like this<\/h2>/);
    const neighbours = paperLinks(section);
    expect(neighbours).toHaveLength(5);
    expect(neighbours).not.toContain(MOE_PAPER);
    expect(neighbours).toContain('2510.26730');
    expect(section).toContain(`<a href="/search?q=like%3A${MOE_PAPER}">All papers like this one →</a>`);
  });

  it('GIVEN like: in the search box THEN the page lists the neighbours, most similar first, pages on, and offers no feed', async () => {
    const first = await page(`/search?q=like%3A${MOE_PAPER}`);
    expect(first.status).toBe(200);
    expect(first.text).toContain(`<h1>Papers like ${MOE_PAPER}</h1>`);
    expect(first.text).toContain(`<p class="summary">Like <a href="/paper/${MOE_PAPER}">Efficient CPU-GPU Collaborative Inference`);
    expect(first.text).toContain('Results 1–20, most similar first, by the distinctive words of their titles, TL;DRs and abstracts.');
    expect(first.text).not.toContain('Atom feed of this search');
    expect(first.text).not.toContain('rel="alternate"');
    const results = paperLinks(first.text.slice(first.text.indexOf('<div class="results">')));
    expect(results.slice(0, 20)).not.toContain(MOE_PAPER);
    const next = first.text.match(/<a rel="next" href="([^"]+)">/)?.[1]?.replaceAll('&amp;', '&');
    const second = await page(next as string);
    expect(second.text).toContain('Results 21–40, most similar first');
    const secondResults = paperLinks(second.text.slice(second.text.indexOf('<div class="results">')));
    expect(secondResults.filter((id) => results.slice(0, 20).includes(id))).toEqual([]);
  });

  it('GIVEN like: with an id the archive does not hold THEN the search page says so with a 400', async () => {
    const { status, text } = await page('/search?q=like%3A2512.99999');
    expect(status).toBe(400);
    expect(text).toContain('The archive has no paper 2512.99999.');
  });

  it('GIVEN like: in the JSON API THEN the answer names the paper and the method, and pages as searches do', async () => {
    const response = await web.get(`/api/papers?q=like%3A${MOE_PAPER}+since+2025-06`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { description: string; like: unknown; papers: { id: string; announcedOn: string }[]; next: string | null };
    expect(body.description).toBe(`papers like ${MOE_PAPER} since 2025-06-01`);
    expect(body.like).toEqual({
      id: MOE_PAPER,
      title: 'Efficient CPU-GPU Collaborative Inference for MoE-based LLMs on Memory-Limited Systems',
      method: 'words',
    });
    expect(body.papers).toHaveLength(20);
    expect(body.papers.every((paper) => paper.announcedOn >= '2025-06-01' && paper.id !== MOE_PAPER)).toBe(true);
    expect(body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/papers\?q=like%3A2512\.16473\+since\+2025-06&cursor=p1\./);
  });

  it('GIVEN the help page THEN it explains like:', async () => {
    const { text } = await page('/help');
    expect(text).toContain('<li><strong>like:</strong> an arXiv id');
  });

  it('GIVEN like: in a feed THEN it is refused: neighbours are a list, not a stream of new papers', async () => {
    const { status, text } = await page(`/feed.atom?q=like%3A${MOE_PAPER}`);
    expect(status).toBe(400);
    expect(text).toMatch(/like: lists one paper’s neighbours and has no feed/);
  });
});
