import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE, papersCommand } from '../../commands/papers.ts';
import type { App } from '../../src/app.ts';
import { recordAnnouncement } from '../../src/store/papers.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security-headers.ts';
import { storeClassified, storeDay } from '../helpers/classified.ts';
import { commandContext } from '../helpers/command-context.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb } from '../helpers/web.ts';

// Friday 2025-12-19 09:30 in Shanghai (DIGEST_TIMEZONE).
const clock = fixedClock('2025-12-19T01:30:00Z');

/** The text of every match of `pattern`'s first group, tags stripped. */
function all(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((match) => (match[1] as string).replace(/<[^>]+>/g, '').trim());
}

const paperIds = (html: string) => all(html, /<a href="\/paper\/([^"]+)">/g);
const groupHeadings = (html: string) => all(html, /<h2 id="group-\d+">([\s\S]*?)<\/h2>/g);

describe('the web pages', () => {
  let app: App;
  let web: TestWeb;
  const page = async (path: string) => {
    const response = await web.get(path);
    return { status: response.status, headers: response.headers, html: await response.text() };
  };

  beforeAll(async () => {
    app = await openTestApp({ DIGEST_TIMEZONE: 'Asia/Shanghai' }, { now: clock.now });
    await storeDay(app, '2025-12-15', 100, 25, ['serving']);
    await storeDay(app, '2025-12-16', 1, 3, ['serving']);
    await storeClassified(app, paperRecord(50), '2025-12-17', { relevant: false, tags: [] });
    await storeDay(app, '2025-12-18', 10, 3, ['MoE', 'offloading']);
    await storeDay(app, '2025-12-18', 13, 1, ['serving']);
    await storeDay(app, '2025-12-18', 14, 1, ['training', 'MoE']);
    // A second version of paper 10, as the next day's replacement announces it.
    await app.db.transaction((tx) =>
      recordAnnouncement(
        tx,
        '2025-12-19',
        {
          paper: paperRecord(10, { version: 2, title: 'Paper 10, revised', authors: ['Author 10', 'Grace Hopper'], categories: ['cs.DC', 'cs.LG'] }),
          type: 'replace',
        },
        'test',
        '2025-12-19T00:00:00.000Z',
      ),
    );
    web = await startTestWeb(app);
  });
  afterAll(async () => {
    await web.close();
    await app.close();
  });

  it('GIVEN the archive THEN / shows the latest day grouped by first tag in vocabulary order, with counts', async () => {
    const { status, html } = await page('/');
    expect(status).toBe(200);
    expect(html).toContain('<h1>5 papers announced Thursday 2025-12-18</h1>');
    // A group lists each paper once, under its first tag; its heading links the rest of the tag's papers, so it agrees with the chip.
    expect(groupHeadings(html)).toEqual(['serving (1)', 'training (1)', 'MoE (3) + 1 more with MoE']);
    expect(html).toContain('<a class="more" href="/day/2025-12-18?tag=MoE">+ 1 more with MoE</a>');
    expect(paperIds(html)).toEqual(['2512.10013', '2512.10014', '2512.10010', '2512.10011', '2512.10012']);
    expect(all(html, /<a class="chip" href="\/day\/2025-12-18[^"]*"[^>]*>([^<]+)</g)).toEqual([
      'all (5)',
      'serving (1)',
      'training (1)',
      'MoE (4)',
      'offloading (3)',
    ]);
  });

  it('GIVEN a tag chip THEN the day shows every paper with that tag, the chip marked current', async () => {
    const { html } = await page('/day/2025-12-18?tag=moe');
    expect(paperIds(html)).toEqual(['2512.10010', '2512.10011', '2512.10012', '2512.10014']);
    expect(html).toContain('<a class="chip" href="/day/2025-12-18?tag=MoE" aria-current="page">MoE (4)</a>');
  });

  it('GIVEN a day THEN previous/next skip days without relevant papers and keep the tag filter', async () => {
    const latest = await page('/day/2025-12-18?tag=serving');
    expect(latest.html).toContain('<a rel="prev" href="/day/2025-12-16?tag=serving">← 2025-12-16</a>');
    expect(latest.html).not.toContain('rel="next"');
    const earlier = await page('/day/2025-12-16');
    expect(earlier.html).toContain('<a rel="next" href="/day/2025-12-18">2025-12-18 →</a>');
    expect(earlier.html).toContain('<a rel="prev" href="/day/2025-12-15">← 2025-12-15</a>');
  });

  it.each([
    ['/day/2025-12-17', 200, 'The one paper announced on 2025-12-17 is not about systems for large models.'],
    ['/day/2025-12-20', 404, '2025-12-20 is still to come: nothing has been announced for it yet.'],
    ['/day/2025-02-30', 404, '“2025-02-30” is not a day: write days as YYYY-MM-DD.'],
    ['/day/yesterday', 404, '“yesterday” is not a day'],
    ['/nowhere', 404, 'There is no page at this address.'],
  ])('GIVEN %s THEN %i', async (path, status, text) => {
    const response = await page(path);
    expect(response.status).toBe(status);
    expect(response.html).toContain(text);
  });

  it('GIVEN a search THEN the page ranks exactly as /papers does and pages on with stateless links', async () => {
    const first = await page('/search?q=serving');
    expect(first.html).toContain('<h1><code>serving</code> papers</h1>');
    expect(first.html).toContain('Results 1–20, newest first.');
    const ids = paperIds(first.html);
    expect(ids).toHaveLength(20);
    const reply = await papersCommand.run(commandContext(app), { text: 'serving' });
    expect(ids.slice(0, PAGE_SIZE)).toEqual(reply.papers?.map((paper) => paper.id));

    const next = /<a rel="next" href="([^"]+)">/.exec(first.html)?.[1]?.replaceAll('&amp;', '&') as string;
    expect(next).toMatch(/^\/search\?q=serving&cursor=p1\./);
    const second = await page(next);
    expect(second.html).toContain('Results 21–29, newest first.');
    expect(paperIds(second.html)).toHaveLength(9);
    expect(new Set([...ids, ...paperIds(second.html)]).size).toBe(29);
    expect(second.html).not.toContain('rel="next"');
    expect(second.html).toContain('<a rel="prev" href="/search?q=serving">← Previous</a>');
  });

  it('GIVEN a query with a tag THEN each tag chip adds or removes that tag', async () => {
    const { html } = await page('/search?q=MoE+last+week');
    expect(html).toContain('<a class="chip" href="/search?q=2025-12-08..2025-12-14" aria-current="true">✓ MoE</a>');
    expect(html).toContain('<a class="chip" href="/search?q=MoE+offloading+2025-12-08..2025-12-14">offloading</a>');
  });

  it('GIVEN a query with words THEN results are ranked best first and the box keeps the query', async () => {
    const { html } = await page('/search?q=author%3A%22Grace+Hopper%22+MoE');
    expect(html).toContain('value="author:&quot;Grace Hopper&quot; MoE"');
    expect(html).toContain('best match first');
    expect(paperIds(html).sort()).toEqual(['2512.10010', '2512.10011', '2512.10012', '2512.10014']);
  });

  it('GIVEN a query the parser rejects THEN 400 with the reason and the text kept', async () => {
    const { status, html } = await page('/search?q=tag%3Anonsense');
    expect(status).toBe(400);
    expect(html).toContain('role="alert">“nonsense” is not a tag.');
    expect(html).toContain('value="tag:nonsense"');
  });

  it('GIVEN a paper page THEN it shows title, authors, categories, abstract, tags, TL;DR, links and versions', async () => {
    const { status, html } = await page('/paper/2512.10010');
    expect(status).toBe(200);
    expect(html).toContain('<h1>Paper 10, revised</h1>');
    expect(html).toContain('<p class="authors">Author 10, Grace Hopper</p>');
    expect(html).toContain('<dd><strong>cs.DC</strong>, cs.LG</dd>');
    expect(html).toContain('<p class="abstract">We present system 10 for LLM inference on GPUs. It improves throughput by 2.1x over vLLM.</p>');
    expect(html).toContain('<a class="chip" href="/search?q=MoE">MoE</a>');
    expect(html).toContain('<p>TL;DR of Paper 10: Efficient LLM Serving with Batching.</p>');
    expect(html).toContain('<a href="https://arxiv.org/abs/2512.10010v2">arXiv 2512.10010v2</a> <a href="https://arxiv.org/pdf/2512.10010v2">PDF</a>');
    expect(all(html, /<tr>\s*<td>([\s\S]*?)<\/tr>/g).map((row) => row.replace(/\s+/g, ' '))).toEqual([
      'v1 2025-12-18 new Paper 10: Efficient LLM Serving with Batching',
      'v2 2025-12-19 replace',
    ]);
  });

  it.each([
    ['/paper/2512.10010v2', 301, '/paper/2512.10010'],
    ['/paper/arXiv:2512.10010', 301, '/paper/2512.10010'],
    ['/paper/2512.99999', 404, null],
    ['/paper/not-an-id', 404, null],
  ])('GIVEN %s THEN %i', async (path, status, location) => {
    const response = await web.get(path);
    expect(response.status).toBe(status);
    expect(response.headers.get('location')).toBe(location);
  });

  it.each(['/', '/search?q=MoE', '/paper/2512.10010', '/feed.atom', '/api/papers', '/healthz', '/nowhere', '/style.css'])(
    'GIVEN GET %s THEN the security headers are on the answer',
    async (path) => {
      const { headers } = await page(path);
      expect(headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
    },
  );

  it.each([
    ['POST', '/'],
    ['POST', '/search?q=MoE'],
    ['PUT', '/paper/2512.10010'],
    ['DELETE', '/api/papers/2512.10010'],
    ['PATCH', '/healthz'],
  ])('GIVEN %s %s THEN 405: nothing but the email flow changes data', async (method, path) => {
    const response = await web.get(path, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('GIVEN no SMTP THEN the email feature is hidden: no link, no form, no email routes', async () => {
    expect((await page('/')).html).not.toContain('Email alerts');
    for (const path of ['/subscribe', '/email/confirm?token=x', '/email/unsubscribe?token=x']) expect((await web.get(path)).status).toBe(404);
    expect((await web.post('/subscribe', { address: 'a@example.org', what: 'MoE' })).status).toBe(404);
  });

  it('GIVEN HEAD THEN the headers come without a body', async () => {
    const response = await web.get('/', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(1000);
    expect(await response.text()).toBe('');
  });

  it('GIVEN the stylesheet THEN pages link it by content version and it is cached for a year', async () => {
    const { html } = await page('/');
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1] as string;
    expect(href).toMatch(/^\/style\.css\?v=[0-9a-f]{12}$/);
    const css = await web.get(href);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
