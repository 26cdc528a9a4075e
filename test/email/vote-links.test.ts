import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { AlertMessage } from '../../src/domain/delivery.ts';
import { toPaperView } from '../../src/domain/paper-view.ts';
import type { EmailService } from '../../src/email/email-service.ts';
import { checkVote, randomId, readVote, signVote } from '../../src/email/tokens.ts';
import { getPaper } from '../../src/store/papers.ts';
import { votesOf } from '../../src/store/votes.ts';
import { FakeSmtp } from '../fakes/smtp-server.ts';
import { storeClassified } from '../helpers/classified.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb, testEmail } from '../helpers/web.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');
const kept = paperRecord(1, { title: 'Expert offloading for MoE serving' });
const dropped = paperRecord(2, { title: 'Geo-distributed key-value stores', abstract: 'Replicas across regions.' });

describe('vote tokens', () => {
  const key = randomId(32);
  const claim = { subscriberId: 'AbCdEfGhIjKlMnOp', paperId: 'cs/0112017', choice: 'not-relevant' as const, expiresAt: new Date('2026-02-01T00:00:00Z') };

  it('GIVEN a signed vote THEN it reads back (old-style ids too) and checks with its key until it expires', () => {
    const token = signVote(claim, key);
    const read = readVote(token);
    expect(read).toMatchObject({ subscriberId: claim.subscriberId, paperId: 'cs/0112017', choice: 'not-relevant', expiresAt: claim.expiresAt });
    expect(checkVote(read as NonNullable<typeof read>, key, new Date('2026-01-01T00:00:00Z'))).toBe('valid');
    expect(checkVote(read as NonNullable<typeof read>, randomId(32), new Date('2026-01-01T00:00:00Z'))).toBe('forged');
    expect(checkVote(read as NonNullable<typeof read>, key, new Date('2026-02-01T00:00:00Z'))).toBe('expired');
  });

  it('GIVEN a token changed on the way (another paper, the other choice, a later expiry) THEN its signature no longer holds', () => {
    const token = signVote(claim, key);
    const parts = token.split('.');
    const tampered = [
      [parts[0], parts[1], 'r', ...parts.slice(3)].join('.'),
      [...parts.slice(0, 3), 'zzzzzz', ...parts.slice(4)].join('.'),
      [...parts.slice(0, 4), Buffer.from('2512.16473').toString('base64url'), parts[5]].join('.'),
    ];
    for (const text of tampered)
      expect(checkVote(readVote(text) as NonNullable<ReturnType<typeof readVote>>, key, new Date('2026-01-01T00:00:00Z'))).toBe('forged');
  });

  it.each([
    '',
    'v.',
    'u.AbCdEfGhIjKlMnOp.1.x',
    `v.AbCdEfGhIjKlMnOp.x.1.MjUxMi4xNjQ3Mw.${'A'.repeat(43)}`,
    `v.AbCdEfGhIjKlMnOp.r.1.PHNjcmlwdD4.${'A'.repeat(43)}`,
  ])('GIVEN %j THEN it is not a vote token', (text) => {
    expect(readVote(text)).toBeNull();
  });
});

/**
 * The links in alert emails, end to end: an alert sent through the fake SMTP server, its links
 * opened (GET) as a mail scanner would and as a person would, and the page's button pressed (POST).
 */
describe('voting from an alert email', () => {
  let app: App;
  let smtp: FakeSmtp;
  let web: TestWeb;
  let email: EmailService;
  let subscriberId: string;

  const voteLinks = (text: string) =>
    [...text.matchAll(/(Not relevant\?|Relevant:) (http\S+\/email\/vote\?token=\S+)/g)].map((match) => [match[1], match[2] as string]);
  const path = (url: string) => url.slice(web.url.length);

  beforeEach(async () => {
    clock.set('2025-12-19T01:30:00Z');
    app = await openTestApp({}, { now: clock.now });
    await storeClassified(app, kept, '2025-12-18');
    await storeClassified(app, dropped, '2025-12-18', { relevant: false, tags: [] });
    smtp = await FakeSmtp.start();
    web = await startTestWeb(app, {
      email: (baseUrl) => {
        email = testEmail(app, smtp.url)(baseUrl);
        return email;
      },
    });
    await web.post('/subscribe', { address: 'ada@example.org', what: 'MoE' });
    const confirmation = await smtp.nextEmail();
    await web.post(/\/email\/confirm\?token=[A-Za-z0-9._-]+/.exec(confirmation.text ?? '')?.[0] as string, {});
    subscriberId = (await app.db.get<{ id: string }>('SELECT id FROM email_subscribers'))?.id as string;
  });
  afterEach(async () => {
    await web.close();
    await smtp.close();
    await app.close();
  });

  async function alertLinks(): Promise<Map<string, string>> {
    const paper = (await getPaper(app.db, dropped.id)) as NonNullable<Awaited<ReturnType<typeof getPaper>>>;
    const alert: AlertMessage = { day: '2025-12-18', papers: [{ ...toPaperView(paper), reasons: ['MoE'] }] };
    expect((await email.messenger.sendAlert(subscriberId, alert)).ok).toBe(true);
    const sent = await smtp.nextEmail();
    expect(sent.html).toContain('👎 not relevant</a>');
    return new Map(voteLinks(sent.text ?? '').map(([label, url]) => [label === 'Relevant:' ? 'relevant' : 'not-relevant', url as string]));
  }

  it('GIVEN an alert THEN each paper carries signed “relevant” and “not relevant” links; opening one (as a scanner would) changes nothing', async () => {
    const links = await alertLinks();
    expect([...links.keys()]).toEqual(['not-relevant', 'relevant']);
    for (let open = 0; open < 3; open++) {
      const page = await web.get(path(links.get('relevant') as string));
      expect(page.status).toBe(200);
      const text = await page.text();
      expect(text).toContain('Mark this paper relevant?');
      expect(text).toContain('<form method="post"');
    }
    expect(await votesOf(app.db, { platform: 'email', userId: subscriberId })).toEqual([]);
  });

  it('GIVEN the page’s button pressed THEN the subscriber’s vote is stored (cast from an email), a dropped paper enters the archive, and it can be turned and taken back', async () => {
    const links = await alertLinks();
    const voted = await web.post(path(links.get('relevant') as string), {});
    const text = await voted.text();
    expect(voted.status).toBe(200);
    expect(text).toContain('Marked “Geo-distributed key-value stores” relevant. The group: 1 relevant, 0 not. The filter had left it out');
    expect(await votesOf(app.db, { platform: 'email', userId: subscriberId })).toEqual([
      expect.objectContaining({ paperId: dropped.id, value: 'relevant', source: 'email' }),
    ]);
    expect((await getPaper(app.db, dropped.id))?.classification.relevant).toBe(true);

    const buttons = [...text.matchAll(/<form method="post" action="([^"]+)"><button type="submit">([^<]+)<\/button>/g)].map((match) => [
      match[2],
      (match[1] as string).replaceAll('&amp;', '&'),
    ]);
    expect(buttons.map(([label]) => label)).toEqual(['Mark it not relevant instead', 'Take back my vote']);
    const turned = await (await web.post(buttons[0]?.[1] as string, {})).text();
    expect(turned).toContain('not relevant (was: relevant)');
    const undone = await (await web.post(buttons[1]?.[1] as string, {})).text();
    expect(undone).toContain('Took back your vote on “Geo-distributed key-value stores” (was: not relevant).');
    expect(await votesOf(app.db, { platform: 'email', userId: subscriberId })).toEqual([]);
  });

  it('GIVEN a forged, an altered and an expired link, and one of an unsubscribed address THEN each is refused with a page that says which', async () => {
    const links = await alertLinks();
    const good = path(links.get('not-relevant') as string);
    const forged = `/email/vote?token=${signVote({ subscriberId, paperId: kept.id, choice: 'relevant', expiresAt: new Date('2026-06-01T00:00:00Z') }, randomId(32))}`;
    const altered = good.replace(/\.n\./, '.r.');
    for (const link of [forged, altered]) {
      const answer = await web.post(link, {});
      expect(answer.status).toBe(403);
      expect(await answer.text()).toContain('This link is not valid');
    }
    clock.set('2026-02-18T01:30:01Z');
    const late = await web.get(good);
    expect([late.status, (await late.text()).includes('This link has expired')]).toEqual([410, true]);
    clock.set('2025-12-20T00:00:00Z');
    expect(await web.post(`/email/unsubscribe?token=${await unsubscribeToken()}`, {})).toMatchObject({ status: 200 });
    const gone = await web.post(good, {});
    expect([gone.status, (await gone.text()).includes('its links no longer vote')]).toEqual([410, true]);
    expect(await app.db.get('SELECT COUNT(*) AS n FROM votes')).toEqual({ n: 0 });
  });

  it('GIVEN the same link pressed many times, or many links at once THEN one vote stands and a burst past the limit is refused', async () => {
    const links = await alertLinks();
    for (let press = 0; press < 3; press++) expect((await web.post(path(links.get('not-relevant') as string), {})).status).toBe(200);
    expect(await votesOf(app.db, { platform: 'email', userId: subscriberId })).toHaveLength(1);

    // 30 votes a minute per subscriber: 27 more presses are taken, the next is refused.
    const token = new URL(links.get('relevant') as string).searchParams.get('token') as string;
    const outcomes = [];
    for (let press = 0; press < 28; press++) outcomes.push((await email.votes.vote(token)).ok);
    expect(outcomes.filter((ok) => !ok)).toHaveLength(1);
    const page = await web.post(path(links.get('relevant') as string), {});
    expect([page.status, (await page.text()).includes('Too many votes at once')]).toEqual([429, true]);
  });

  async function unsubscribeToken(): Promise<string> {
    const { signUnsubscribe } = await import('../../src/email/tokens.ts');
    const row = await app.db.get<{ unsubscribe_key: string }>('SELECT unsubscribe_key FROM email_subscribers WHERE id = ?', [subscriberId]);
    return signUnsubscribe({ subscriberId, expiresAt: new Date('2026-03-01T00:00:00Z') }, row?.unsubscribe_key as string);
  }
});
