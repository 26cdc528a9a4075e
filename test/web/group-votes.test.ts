import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { recordVote } from '../../src/pipeline/apply-vote.ts';
import { storeClassified } from '../helpers/classified.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb } from '../helpers/web.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');
const DAY = '2025-12-18';
const kept = paperRecord(1, { title: 'Paged attention for LLM serving' });
const turnedDown = paperRecord(2, { title: 'Speculative decoding with draft trees' });
const dropped = paperRecord(3, { title: 'Tail-latency routing for key-value stores', abstract: 'Replicas across regions.' });

/** What the web shows once the group has voted: the default views leave a paper it turned down out; the dropped ones can be shown. */
describe('the web page and feeds after the group’s votes', () => {
  let app: App;
  let web: TestWeb;
  const html = async (path: string) => (await web.get(path)).text();
  const ids = (page: string) => [...page.matchAll(/<a href="\/paper\/([^"]+)">/g)].map((match) => match[1]);

  beforeEach(async () => {
    app = await openTestApp({ DIGEST_TIMEZONE: 'Asia/Shanghai' }, { now: clock.now });
    await storeClassified(app, kept, DAY);
    await storeClassified(app, turnedDown, DAY);
    await storeClassified(app, dropped, DAY, { relevant: false, tags: [] });
    for (const userId of ['U1', 'U2']) {
      await recordVote(
        { db: app.db, now: clock.now, tagsFor: () => [] },
        { platform: 'discord', userId, paperId: turnedDown.id, value: 'not-relevant', source: 'digest' },
      );
    }
    web = await startTestWeb(app);
  });
  afterEach(async () => {
    await web.close();
    await app.close();
  });

  it('GIVEN a paper the group marked not relevant THEN the day page, the search page, the JSON API and the Atom feed leave it out', async () => {
    expect(ids(await html(`/day/${DAY}`))).toEqual([kept.id]);
    expect(ids(await html('/search?q=serving'))).toEqual([kept.id]);
    const api = (await (await web.get(`/api/days/${DAY}`)).json()) as { papers: { id: string }[] };
    expect(api.papers.map((paper) => paper.id)).toEqual([kept.id]);
    const feed = await html('/feed.atom');
    expect(feed).toContain(kept.id);
    expect(feed).not.toContain(turnedDown.id);
  });

  it('GIVEN the day page THEN a link shows the papers left out, each saying whether the filter or the group left it out', async () => {
    const page = await html(`/day/${DAY}`);
    expect(page).toContain(`<a href="/day/${DAY}?show=dropped">Show the 2 papers left out by the filter or marked not relevant by the group</a>`);
    const shown = await html(`/day/${DAY}?show=dropped`);
    expect(ids(shown)).toEqual([kept.id, turnedDown.id, dropped.id]);
    const leftOut = shown.slice(shown.indexOf('id="left-out"'));
    expect(leftOut).toMatch(new RegExp(`${turnedDown.id}[\\s\\S]*?<p class="standing">Marked not relevant by the group</p>`));
    expect(leftOut).toMatch(new RegExp(`${dropped.id}[\\s\\S]*?<p class="standing">Left out by the filter</p>`));
    expect(leftOut).toContain('/like &lt;id&gt;');
  });

  it('GIVEN the search page THEN it offers include:dropped, which finds the dropped paper by its words, marked', async () => {
    const plain = await html('/search?q=replicas');
    expect(ids(plain)).toEqual([]);
    expect(plain).toContain('<a href="/search?q=include%3Adropped+replicas">Search the papers the filter left out too</a>');
    const wide = await html('/search?q=include%3Adropped+replicas');
    expect(ids(wide)).toEqual([dropped.id]);
    expect(wide).toContain('<p class="standing">Left out by the filter</p>');
    expect(wide).toContain('Leave them out</a>');
  });

  it('GIVEN the paper pages THEN they show the group’s votes, and how a dropped paper can be brought in', async () => {
    expect(await html(`/paper/${turnedDown.id}`)).toContain('The group: 0 relevant, 2 not. The group marked it not relevant, so it is left out');
    expect(await html(`/paper/${dropped.id}`)).toContain(`<code>/like ${dropped.id}</code>`);
    expect(await html(`/paper/${kept.id}`)).not.toContain('The group:');
  });
});
