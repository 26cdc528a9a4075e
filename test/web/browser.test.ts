import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { allSubscriptions } from '../../src/store/subscriptions.ts';
import { FakeSmtp } from '../fakes/smtp-server.ts';
import { HOSTILE, hostileRecord, storeClassified, storeDay } from '../helpers/classified.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb, testEmail } from '../helpers/web.ts';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it when missing). Playwright downloads nothing. */
const CHROMIUM = '/usr/bin/chromium';
const PHONE = { width: 375, height: 740 };
const clock = fixedClock('2025-12-19T01:30:00Z');

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the site in a real browser (headless Debian chromium)', () => {
  let app: App;
  let smtp: FakeSmtp;
  let web: TestWeb;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  /** Everything the page reported: dialogs (an alert() would mean injected script ran), console errors, failed loads. */
  let problems: string[];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    app = await openTestApp({ DIGEST_TIMEZONE: 'Asia/Shanghai' }, { now: clock.now });
    await storeDay(app, '2025-12-15', 100, 25, ['serving']);
    await storeDay(app, '2025-12-18', 10, 3, ['MoE', 'offloading']);
    await storeDay(app, '2025-12-18', 13, 2, ['training']);
    const longWord = 'Disaggregated'.repeat(8);
    await storeClassified(
      app,
      paperRecord(40, {
        title: `${longWord}: a title with one very long word that must wrap on a phone`,
        authors: Array.from({ length: 40 }, (_, index) => `Author Number${index} With-A-Long-Surname`),
        categories: ['cs.DC', 'cs.LG', 'cs.OS', 'cs.AR', 'cs.NI'],
        comment: `https://example.org/${'x'.repeat(120)}`,
      }),
      '2025-12-18',
      { tags: ['MoE', 'serving', 'offloading'] },
    );
    await storeClassified(app, hostileRecord(41), '2025-12-17', { tags: ['kernel'], tldr: HOSTILE.tldr });
    smtp = await FakeSmtp.start();
    web = await startTestWeb(app, { email: testEmail(app, smtp.url) });
    profile = mkdtempSync(join(tmpdir(), 'lmsys-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      // Without the background-networking flags chromium keeps calling home, which a closed network turns into noise and delays.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1200, height: 900 },
    });
    // Nothing but the site under test: any other request fails the test.
    await browser.route('**/*', (route) => (route.request().url().startsWith(web.url) ? route.continue() : route.abort()));
  });
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await web?.close();
    await smtp?.close();
    await app?.close();
  });

  beforeEach(async () => {
    problems = [];
    page = await browser.newPage();
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  });
  afterEach(async () => {
    await page.close();
    expect(problems).toEqual([]);
  });

  it('GIVEN the search box THEN typing a query and pressing Enter lists the matching papers', async () => {
    await page.goto(`${web.url}/`);
    await page.getByRole('searchbox', { name: 'Search the archive' }).fill('MoE offloading');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=MoE\+offloading$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('MoE + offloading papers');
    expect(await page.locator('article.paper').count()).toBe(4);
    await expect(page.getByRole('searchbox').inputValue()).resolves.toBe('MoE offloading');
  });

  it('GIVEN tag chips THEN clicking one filters the day, and on a search adds the tag', async () => {
    await page.goto(`${web.url}/`);
    expect(await page.locator('article.paper').count()).toBe(6);
    await page.getByRole('link', { name: 'training (2)' }).click();
    await page.waitForURL(/\?tag=training$/);
    expect(await page.locator('article.paper').count()).toBe(2);
    await expect(page.locator('[aria-current="page"]').textContent()).resolves.toBe('training (2)');

    await page.goto(`${web.url}/search?q=MoE`);
    await page.getByRole('list', { name: 'Filter by tag' }).getByRole('link', { name: 'serving', exact: true }).click();
    await page.waitForURL(/\/search\?q=MoE\+serving$/);
    expect(await page.locator('article.paper').count()).toBe(1);
  });

  it('GIVEN a result THEN its title opens the paper page with abstract, links and versions', async () => {
    await page.goto(`${web.url}/search?q=MoE+offloading`);
    const first = page.locator('article.paper h2 a').first();
    const title = await first.textContent();
    await first.click();
    await page.waitForURL(/\/paper\/2512\.\d{5}$/);
    await expect(page.locator('h1').textContent()).resolves.toBe(title);
    await expect(page.getByRole('heading', { name: 'Abstract' }).isVisible()).resolves.toBe(true);
    // The paper's own links, not those of the papers listed under "More like this".
    expect(await page.locator('article.paper-page > p.links').getByRole('link', { name: 'PDF' }).getAttribute('href')).toMatch(
      /^https:\/\/arxiv\.org\/pdf\/2512\.\d{5}v1$/,
    );
    expect(await page.locator('table tbody tr').count()).toBe(1);
  });

  it('GIVEN a paper page THEN "More like this" lists its neighbours and links to all of them', async () => {
    await page.goto(`${web.url}/search?q=MoE+offloading`);
    await page.locator('article.paper h2 a').first().click();
    await page.waitForURL(/\/paper\/(2512\.\d{5})$/);
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    const section = page.getByRole('region', { name: 'More like this' });
    expect(await section.locator('article.paper').count()).toBeGreaterThan(0);
    await section.getByRole('link', { name: 'All papers like this one →' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === `like:${id}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(`Papers like ${id}`);
  });

  it('GIVEN more results than a page THEN Next and Previous walk the pages', async () => {
    await page.goto(`${web.url}/search?q=serving`);
    await expect(page.locator('p.summary').first().textContent()).resolves.toBe('Results 1–20, newest first.');
    const firstPage = await page.locator('article.paper h2').allTextContents();
    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/cursor=p1\./);
    await expect(page.locator('p.summary').first().textContent()).resolves.toBe('Results 21–26, newest first.');
    const secondPage = await page.locator('article.paper h2').allTextContents();
    expect(secondPage.filter((title) => firstPage.includes(title))).toEqual([]);
    await page.getByRole('link', { name: '← Previous' }).click();
    await page.waitForURL(/\/search\?q=serving$/);
    expect(await page.locator('article.paper h2').allTextContents()).toEqual(firstPage);
  });

  it('GIVEN the email form THEN subscribing, confirming from the emailed link and landing subscribed works without script', async () => {
    await page.goto(`${web.url}/`);
    await page.getByRole('link', { name: 'Email alerts' }).click();
    await page.getByLabel('Email address').fill('browser@example.org');
    await page.getByLabel('Follow').fill('MoE author:Grace Hopper');
    await page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Check your inbox');
    expect(await allSubscriptions(app.db, 'email')).toEqual([]);

    const email = await smtp.nextEmail();
    expect(email.to).toEqual(['browser@example.org']);
    const link = /http:\/\/127\.0\.0\.1:\d+\/email\/confirm\?token=[A-Za-z0-9._-]+/.exec(email.text ?? '')?.[0] as string;
    await page.goto(link);
    await expect(page.locator('h1').textContent()).resolves.toBe('Confirm your email alerts');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('You are subscribed');
    expect((await allSubscriptions(app.db, 'email')).map((row) => row.value)).toEqual(['MoE', 'Grace Hopper']);
  });

  it('GIVEN a mistake in the form THEN the error is announced and tied to its field', async () => {
    await page.goto(`${web.url}/subscribe`);
    await page.getByLabel('Email address').fill('someone@example.org');
    await page.getByLabel('Follow').fill('tag:nonsense');
    await page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^“nonsense” is not a tag\./);
    await expect(page.getByLabel('Follow').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Follow').inputValue()).resolves.toBe('tag:nonsense');
    // The form's answer is a 400 on purpose; chromium logs that status as a console error.
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    problems = [];
  });

  it('GIVEN a paper with hostile text THEN nothing runs: the text shows as written', async () => {
    await page.goto(`${web.url}/paper/2512.10041`);
    await expect(page.locator('h1').textContent()).resolves.toBe(HOSTILE.title);
    await expect(page.locator('p.authors').textContent()).resolves.toBe(`${HOSTILE.author}, Alice Smith`);
    expect(await page.locator('script, img, iframe, svg').count()).toBe(0);
    await page.goto(`${web.url}/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    await expect(page.getByRole('searchbox').inputValue()).resolves.toBe('"><script>alert(1)</script>');
  });

  it.each([
    ['the latest day', '/'],
    ['a paper with a long title, many authors and a long URL', '/paper/2512.10040'],
    ['a search', '/search?q=serving'],
    ['the email form', '/subscribe'],
  ])('GIVEN a phone (375 px) THEN %s has no horizontal scroll and the controls fit', async (name, path) => {
    await page.setViewportSize(PHONE);
    await page.goto(`${web.url}${path}`);
    const layout = (await page.evaluate(
      `({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
          widest: Math.max(...[...document.querySelectorAll('body *')].map((element) => element.getBoundingClientRect().right)),
          font: parseFloat(getComputedStyle(document.body).fontSize) })`,
    )) as { scroll: number; inner: number; widest: number; font: number };
    expect(layout.inner).toBe(PHONE.width);
    expect(layout.scroll).toBeLessThanOrEqual(PHONE.width);
    expect(layout.widest).toBeLessThanOrEqual(PHONE.width);
    expect(layout.font).toBeGreaterThanOrEqual(16);
    const button = await page.getByRole('button', { name: 'Search' }).boundingBox();
    expect(button && button.x + button.width).toBeLessThanOrEqual(PHONE.width);
    const shot = await page.screenshot({ fullPage: true });
    expect(pngSize(shot).width).toBe(PHONE.width);
    mkdirSync('reports/screenshots', { recursive: true });
    writeFileSync(`reports/screenshots/phone-${name.replace(/\W+/g, '-')}.png`, shot);
  });
});
