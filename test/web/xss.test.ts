import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { codeSpans, escapeHtml, html } from '../../src/rendering/html.ts';
import { HOSTILE, hostileRecord, storeClassified } from '../helpers/classified.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb } from '../helpers/web.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');

/** Markup that would run or load something if it reached the page as markup. */
const LIVE_MARKUP = [/<script/i, /<img/i, /<iframe/i, /<svg/i, /<b onmouseover/i, /href="javascript:/i, /<\/textarea>/i];

function expectInert(text: string): void {
  for (const pattern of LIVE_MARKUP) expect(text).not.toMatch(pattern);
}

describe('untrusted text on the web', () => {
  let app: App;
  let web: TestWeb;

  beforeAll(async () => {
    app = await openTestApp({}, { now: clock.now });
    await storeClassified(app, hostileRecord(1), '2025-12-18', { tags: ['MoE'], tldr: HOSTILE.tldr });
    web = await startTestWeb(app);
  });
  afterAll(async () => {
    await web.close();
    await app.close();
  });

  it.each(['/', '/day/2025-12-18?tag=MoE', '/search?q=pwn', '/paper/2512.10001'])('GIVEN a hostile paper THEN %s shows its text as text', async (path) => {
    const page = await (await web.get(path)).text();
    expectInert(page);
    expect(page).toContain('Pwn &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;b onmouseover=alert(1)&gt;Mallory&lt;/b&gt;');
    expect(page).toContain('&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;');
  });

  it('GIVEN the paper page THEN the abstract and comment are text too', async () => {
    const page = await (await web.get('/paper/2512.10001')).text();
    expect(page).toContain(
      'We show &lt;script&gt;alert(&quot;abstract&quot;)&lt;/script&gt; and &lt;/textarea&gt;&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;',
    );
    expect(page).toContain('<dd>&lt;script&gt;c()&lt;/script&gt;</dd>');
  });

  it('GIVEN a hostile query THEN it is echoed as text in the box, the heading and the links', async () => {
    const query = '"><script>alert(1)</script> author:"<img src=x>"';
    const page = await (await web.get(`/search?q=${encodeURIComponent(query)}`)).text();
    expectInert(page);
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; author:&quot;&lt;img src=x&gt;&quot;"');
  });

  it('GIVEN the Atom feed THEN the hostile text is escaped and reads back exactly as text', async () => {
    const text = await (await web.get('/feed.atom')).text();
    expectInert(text);
    const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, processEntities: true, htmlEntities: false });
    const entry = (parser.parse(text) as { feed: { entry: { title: { '#text': string }; summary: { '#text': string }; content: { '#text': string } } } }).feed
      .entry;
    expect(entry.title['#text']).toBe(HOSTILE.title);
    expect(entry.summary['#text']).toBe(HOSTILE.tldr);
    // The BEL character is not allowed in XML 1.0: dropped, the rest intact.
    expect(entry.content['#text']).toBe(HOSTILE.abstract.replace('\u0007', ''));
  });

  it('GIVEN the JSON API THEN the text is data, served as JSON that browsers will not sniff as HTML', async () => {
    const response = await web.get('/api/papers/2512.10001');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(((await response.json()) as { title: string }).title).toBe(HOSTILE.title);
  });

  it('GIVEN html`` THEN interpolations are escaped, nested templates are not escaped twice, arrays join', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'" onclick="x'}">${inner}${['<', '>']}${null}${false}${0}</p>`.value).toBe(
      '<p title="&quot; onclick=&quot;x"><b>&lt;i&gt;</b>&lt;&gt;0</p>',
    );
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(codeSpans('use `<MoE>` or <b>').value).toBe('use <code>&lt;MoE&gt;</code> or &lt;b&gt;');
  });
});
