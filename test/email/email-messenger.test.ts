import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { matchSubscriptions } from '../../src/delivery/match-subscriptions.ts';
import type { AlertMessage } from '../../src/domain/delivery.ts';
import { toPaperView } from '../../src/domain/paper-view.ts';
import type { PaperView } from '../../src/domain/reply.ts';
import { createEmailMessenger } from '../../src/email/email-messenger.ts';
import type { EmailService } from '../../src/email/email-service.ts';
import { createSmtpMailer } from '../../src/email/mailer.ts';
import { getPaper, relevantPapersBetween } from '../../src/store/papers.ts';
import { allSubscriptions } from '../../src/store/subscriptions.ts';
import { FakeSmtp, type ReceivedEmail } from '../fakes/smtp-server.ts';
import { HOSTILE, hostileRecord, storeClassified } from '../helpers/classified.ts';
import { paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb, testEmail } from '../helpers/web.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');

function view(id: string, title: string, reasons: string[], extra: Partial<PaperView> = {}): PaperView {
  return {
    id,
    version: 1,
    title,
    url: `https://arxiv.org/abs/${id}v1`,
    pdfUrl: `https://arxiv.org/pdf/${id}v1`,
    authors: ['Ada Lovelace', 'Song Han'],
    tags: ['MoE', 'serving'],
    day: '2025-12-18',
    tldr: `TL;DR of ${title}.`,
    reasons,
    ...extra,
  };
}

const ALERT: AlertMessage = {
  day: '2025-12-18',
  papers: [
    view('2512.10001', 'Expert offloading for MoE serving', ['MoE', 'author: Song Han']),
    view('2512.10002', 'Speculative decoding at scale', ['keyword: speculative decoding']),
    view('2512.09000', 'An older paper, revised', ['MoE'], { version: 2, url: 'https://arxiv.org/abs/2512.09000v2', isUpdate: true }),
  ],
};

describe('the email messenger', () => {
  let app: App;
  let smtp: FakeSmtp;
  let web: TestWeb;
  let email: EmailService;

  /** Subscribes `address` through the form and its confirmation link; returns the subscriber id. */
  async function subscriber(address: string, what: string): Promise<string> {
    await web.post('/subscribe', { address, what });
    const confirmation = await smtp.nextEmail();
    const link = /\/email\/confirm\?token=[A-Za-z0-9._-]+/.exec(confirmation.text ?? '')?.[0] as string;
    await web.post(link, {});
    const row = await app.db.get<{ id: string }>('SELECT id FROM email_subscribers WHERE address = ?', [address]);
    return row?.id as string;
  }

  beforeEach(async () => {
    clock.set('2025-12-19T01:30:00Z');
    app = await openTestApp({}, { now: clock.now });
    smtp = await FakeSmtp.start();
    web = await startTestWeb(app, {
      email: (baseUrl) => {
        email = testEmail(app, smtp.url)(baseUrl);
        return email;
      },
    });
  });
  afterEach(async () => {
    await web.close();
    await smtp.close();
    await app.close();
  });

  it('GIVEN a confirmed subscriber THEN one email, HTML and text, each paper with why it matched', async () => {
    const id = await subscriber('reader@example.org', 'MoE speculative decoding author:Song Han');
    expect(email.messenger.platform).toBe('email');
    const result = await email.messenger.sendAlert(id, ALERT);
    expect(result).toEqual({ ok: true, ref: `<alert.email.${id}.2025-12-18@127.0.0.1>` });
    const sent = await smtp.nextEmail();
    expect(sent.to).toEqual(['reader@example.org']);
    expect(sent.headers.get('from')).toBe('"lmsys-papers" <papers@example.org>');
    expect(sent.headers.get('message-id')).toBe(`<alert.email.${id}.2025-12-18@127.0.0.1>`);
    expect(sent.subject).toBe('2 new papers, 1 updated on MoE, author: Song Han, keyword: speculative decoding · 2025-12-18');
    expect(sent.headers.get('content-type')).toMatch(/^multipart\/alternative/);

    const text = sent.text as string;
    expect(text).toContain('1. Expert offloading for MoE serving\n   Ada Lovelace, Song Han\n   Why: MoE, author: Song Han\n   Tags: MoE, serving\n');
    expect(text).toContain('2. Speculative decoding at scale');
    expect(text).toContain('   Why: keyword: speculative decoding');
    expect(text).toContain('3. [updated to v2] An older paper, revised');
    expect(text).toContain(`${web.url}/paper/2512.10001\n   arXiv https://arxiv.org/abs/2512.10001v1 · PDF https://arxiv.org/pdf/2512.10001v1`);
    expect(text).toContain('You get this because you follow MoE, keyword: speculative decoding, author: Song Han on lmsys-papers.');

    const html = sent.html as string;
    expect(html).toContain(`<a href="${web.url}/paper/2512.10001" style="color:#1a4f8b">Expert offloading for MoE serving</a>`);
    expect(html).toContain('<strong>Why:</strong> MoE, author: Song Han');
    expect(html).toContain('Updated to v2:');
  });

  it('GIVEN an alert email THEN List-Unsubscribe is one-click: a POST to it unsubscribes (RFC 8058)', async () => {
    const id = await subscriber('reader@example.org', 'MoE');
    await email.messenger.sendAlert(id, ALERT);
    const sent = await smtp.nextEmail();
    expect(sent.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const url = /^<(http[^>]+)>/.exec(sent.headers.get('list-unsubscribe') ?? '')?.[1] as string;
    expect(url).toMatch(new RegExp(`^${web.url}/email/unsubscribe\\?token=u\\.${id}\\.[0-9a-z]+\\.[A-Za-z0-9_-]{43}$`));
    expect(sent.text).toContain(`Unsubscribe (one click): ${url}`);
    expect(sent.html).toContain(`<a href="${url.replaceAll('&', '&amp;')}" style="color:#555">Unsubscribe</a>`);

    // What a mail client sends for one-click unsubscribe.
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect(await app.db.get('SELECT id FROM email_subscribers')).toBeUndefined();
    expect(await allSubscriptions(app.db, 'email')).toEqual([]);
    expect(await email.messenger.sendAlert(id, ALERT)).toEqual({ ok: false, permanent: true, reason: 'unsubscribed' });
    // Pressing it again, or the page's button later, still ends well.
    expect((await fetch(url, { method: 'POST' })).status).toBe(200);
  });

  it('GIVEN the unsubscribe link in a browser THEN GET shows what it follows with a button, and changes nothing', async () => {
    const id = await subscriber('reader@example.org', 'MoE "kv cache"');
    await email.messenger.sendAlert(id, ALERT);
    const path = /\/email\/unsubscribe\?token=[A-Za-z0-9._-]+/.exec((await smtp.nextEmail()).text ?? '')?.[0] as string;
    const page = await (await web.get(path)).text();
    expect(page).toContain('reader@example.org follows: tag MoE, phrase “kv cache”.');
    expect(page).toContain(`<form method="post" action="${path}"><button type="submit">Unsubscribe from everything</button></form>`);
    expect(await allSubscriptions(app.db, 'email')).toHaveLength(2);
    expect((await web.post(path, {})).status).toBe(200);
    expect(await allSubscriptions(app.db, 'email')).toEqual([]);
  });

  it('GIVEN a tampered unsubscribe token, or one re-addressed to another subscriber THEN it is refused', async () => {
    const id = await subscriber('reader@example.org', 'MoE');
    const other = await subscriber('other@example.org', 'serving');
    await email.messenger.sendAlert(id, ALERT);
    const token = /token=(u\.[A-Za-z0-9._-]+)/.exec((await smtp.nextEmail()).text ?? '')?.[1] as string;
    for (const forged of [`${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`, token.replace(id, other)]) {
      expect(forged).not.toBe(token);
      expect((await web.post(`/email/unsubscribe?token=${forged}`, {})).status).toBe(410);
    }
    expect(await allSubscriptions(app.db, 'email')).toHaveLength(2);
  });

  it('GIVEN an unsubscribe link older than 90 days THEN it has expired; the newest email has a fresh one', async () => {
    const id = await subscriber('reader@example.org', 'MoE');
    await email.messenger.sendAlert(id, ALERT);
    const old = /\/email\/unsubscribe\?token=[A-Za-z0-9._-]+/.exec((await smtp.nextEmail()).text ?? '')?.[0] as string;
    clock.set('2026-03-20T01:30:00Z');
    expect((await web.post(old, {})).status).toBe(410);
    await email.messenger.sendAlert(id, { ...ALERT, day: '2026-03-19' });
    const fresh = /\/email\/unsubscribe\?token=[A-Za-z0-9._-]+/.exec((await smtp.nextEmail()).text ?? '')?.[0] as string;
    expect((await web.post(fresh, {})).status).toBe(200);
  });

  it('GIVEN the SMTP server down THEN the send fails as retryable, and the same alert goes out once it is back', async () => {
    const id = await subscriber('reader@example.org', 'MoE');
    smtp.down = true;
    const failed = await email.messenger.sendAlert(id, ALERT);
    expect(failed).toMatchObject({ ok: false, permanent: false });
    expect(failed.ok ? '' : failed.reason).toMatch(/421/);
    expect(smtp.received).toHaveLength(1);
    smtp.down = false;
    expect(await email.messenger.sendAlert(id, ALERT)).toMatchObject({ ok: true });
    expect((await smtp.nextEmail()).subject).toContain('2025-12-18');
  });

  it('GIVEN nothing listening at SMTP_URL THEN the send fails as retryable, not permanent', async () => {
    const id = await subscriber('reader@example.org', 'MoE');
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as { port: number }).port;
    closed.close();
    await once(closed, 'close');
    const mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: 'papers@example.org', log: app.log, timeoutMs: 1000 });
    const messenger = createEmailMessenger({ db: app.db, mailer, baseUrl: web.url, now: clock.now });
    try {
      expect(await messenger.sendAlert(id, ALERT)).toMatchObject({ ok: false, permanent: false, reason: expect.stringMatching(/^ESOCKET|^ECONNECTION/) });
    } finally {
      mailer.close();
    }
  });

  it('GIVEN the relay refuses the recipient (550) THEN the failure is permanent', async () => {
    const id = await subscriber('gone@example.org', 'MoE');
    smtp.rejectRecipients = /^gone@/;
    expect(await email.messenger.sendAlert(id, ALERT)).toMatchObject({ ok: false, permanent: true, reason: expect.stringContaining('550') });
  });

  it('GIVEN a digest THEN email declines it permanently: email has no channels', async () => {
    expect(await email.messenger.postDigest('anything', { day: '2025-12-18', papers: [], tagCounts: [] })).toMatchObject({ ok: false, permanent: true });
  });

  it('GIVEN a paper with hostile text THEN the HTML part shows it as text and the text part as plain words', async () => {
    await storeClassified(app, hostileRecord(7), '2025-12-18', { tags: ['MoE'], tldr: HOSTILE.tldr });
    const paper = await getPaper(app.db, '2512.10007');
    const id = await subscriber('reader@example.org', 'MoE');
    await email.messenger.sendAlert(id, { day: '2025-12-18', papers: [toPaperView(paper as NonNullable<typeof paper>, ['MoE'])] });
    const sent: ReceivedEmail = await smtp.nextEmail();
    const html = sent.html as string;
    for (const live of [/<script/i, /<img/i, /<iframe/i, /<svg/i, /<b onmouseover/i]) expect(html).not.toMatch(live);
    expect(html).toContain('Pwn &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt; TL;DR');
    expect(sent.text).toContain(`1. ${HOSTILE.title.slice(0, 40)}`);
    expect(sent.subject).not.toMatch(/[\r\n]/);
  });

  it('GIVEN the day matched against every subscription THEN an email subscriber gets their papers with the reasons', async () => {
    await storeClassified(app, paperRecord(1, { title: 'Expert placement for MoE inference' }), '2025-12-18', { tags: ['MoE', 'serving'] });
    await storeClassified(app, paperRecord(2, { title: 'Speculative decoding with small drafts' }), '2025-12-18', { tags: ['serving'] });
    await storeClassified(app, paperRecord(3, { title: 'A training paper' }), '2025-12-18', { tags: ['training'] });
    const id = await subscriber('reader@example.org', 'MoE speculative decoding');
    const papers = await relevantPapersBetween(app.db, '2025-12-18', '2025-12-18');
    // What the daily delivery does for every platform: match, then one alert per person.
    const matches = await matchSubscriptions(papers, await allSubscriptions(app.db));
    const mine = matches.find((match) => match.subscriber.platform === 'email' && match.subscriber.userId === id);
    const alert = { day: '2025-12-18', papers: (mine?.papers ?? []).map(({ paper, reasons }) => toPaperView(paper, reasons)) };
    expect(await email.messenger.sendAlert(id, alert)).toMatchObject({ ok: true });
    const text = (await smtp.nextEmail()).text as string;
    expect(text).toMatch(/1\. Expert placement for MoE inference\n(.*\n)*? {3}Why: MoE\n/);
    expect(text).toMatch(/2\. Speculative decoding with small drafts\n(.*\n)*? {3}Why: keyword: speculative decoding\n/);
    expect(text).not.toContain('A training paper');
  });

  it('GIVEN an unknown subscriber id THEN permanent failure and no email', async () => {
    expect(await email.messenger.sendAlert('AAAAAAAAAAAAAAAA', ALERT)).toEqual({ ok: false, permanent: true, reason: 'unsubscribed' });
    expect(smtp.received).toEqual([]);
  });
});
