import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { AlertMessage } from '../../src/domain/delivery.ts';
import type { PaperView } from '../../src/domain/reply.ts';
import type { EmailService } from '../../src/email/email-service.ts';
import { takePicks } from '../../src/email/email-service.ts';
import { hasPickSubscription } from '../../src/store/person-models.ts';
import { allSubscriptions } from '../../src/store/subscriptions.ts';
import { FakeSmtp } from '../fakes/smtp-server.ts';
import { HOSTILE } from '../helpers/classified.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb, testEmail } from '../helpers/web.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');

function view(id: string, title: string, extra: Partial<PaperView> = {}): PaperView {
  return {
    id,
    version: 1,
    title,
    url: `https://arxiv.org/abs/${id}v1`,
    pdfUrl: `https://arxiv.org/pdf/${id}v1`,
    authors: ['Ada Lovelace'],
    tags: ['serving'],
    day: '2025-12-18',
    tldr: `TL;DR of ${title}.`,
    ...extra,
  };
}

/** A pick whose "why" carries hostile arXiv text: the liked paper's title and the words come from papers. */
const HOSTILE_PICK = view('2512.10009', 'Paged KV cache offloading', {
  pick: { like: { id: '2512.10007', title: HOSTILE.title }, words: ['<svg onload=alert(1)>', 'KV cache'] },
});

describe('"Picked for you" by email', () => {
  let app: App;
  let smtp: FakeSmtp;
  let web: TestWeb;
  let email: EmailService;

  async function subscriber(address: string, what: string): Promise<string> {
    await web.post('/subscribe', { address, what });
    const confirmation = await smtp.nextEmail();
    expect(confirmation.text).toContain('papers picked for you by your votes');
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

  it('GIVEN the word picks in the form (alone or beside tags, not inside quotes) THEN confirming turns picks on beside the rest', async () => {
    expect(takePicks('MoE picks "picks of the day"')).toEqual({ rest: 'MoE  "picks of the day"', picks: true });
    expect(takePicks('MoE')).toEqual({ rest: 'MoE', picks: false });
    const id = await subscriber('reader@example.org', 'MoE picks');
    expect(await hasPickSubscription(app.db, { platform: 'email', userId: id })).toBe(true);
    expect((await allSubscriptions(app.db, 'email')).map((subscription) => subscription.value)).toEqual(['MoE']);
    const alone = await subscriber('other@example.org', 'picks');
    expect(await hasPickSubscription(app.db, { platform: 'email', userId: alone })).toBe(true);
  });

  it('GIVEN an alert with picks whose why carries markup THEN the email shows them under their heading, escaped, with a link that stops only the picks', async () => {
    const id = await subscriber('reader@example.org', 'MoE picks');
    const alert: AlertMessage = { day: '2025-12-18', papers: [view('2512.10001', 'Expert offloading', { reasons: ['MoE'] })], picks: [HOSTILE_PICK] };
    expect(await email.messenger.sendAlert(id, alert)).toMatchObject({ ok: true });
    const sent = await smtp.nextEmail();
    expect(sent.subject).toBe('1 new paper, 1 picked for you on MoE · 2025-12-18');
    const html = sent.html as string;
    for (const live of [/<script/i, /<img/i, /<svg/i]) expect(html).not.toMatch(live);
    expect(html).toContain('Picked for you (by your votes)</h2>');
    expect(html).toContain('<strong>Why:</strong> picked for you: like “Pwn &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &lt;img');
    expect(html).toContain('&lt;svg onload=alert(1)&gt;, KV cache');
    const text = sent.text as string;
    expect(text).toContain('Picked for you (by your votes):\n\n2. Paged KV cache offloading');
    expect(text).toContain('You get this because you follow MoE, papers picked for you by your votes on lmsys-papers.');

    const stop = /\/email\/picks\/stop\?token=[A-Za-z0-9._-]+/.exec(text)?.[0] as string;
    expect(text).toContain(`Stop the picks, keep the rest: ${web.url}${stop}`);
    const page = await (await web.get(stop)).text();
    expect(page).toContain('reader@example.org follows: tag MoE, papers picked for you by your votes.');
    expect(await hasPickSubscription(app.db, { platform: 'email', userId: id })).toBe(true);
    expect((await web.post(stop, {})).status).toBe(200);
    expect(await hasPickSubscription(app.db, { platform: 'email', userId: id })).toBe(false);
    expect(await allSubscriptions(app.db, 'email')).toHaveLength(1);
    expect((await web.post(stop.replace(/.{4}$/, 'AAAA'), {})).status).toBe(410);
  });

  it('GIVEN picks alone (nothing matched) THEN one email of picks; without picks no stop link', async () => {
    const id = await subscriber('reader@example.org', 'picks');
    await email.messenger.sendAlert(id, { day: '2025-12-18', papers: [], picks: [HOSTILE_PICK] });
    const sent = await smtp.nextEmail();
    expect(sent.subject).toBe('1 picked for you · 2025-12-18');
    expect(sent.text).toContain('Papers announced 2025-12-18 picked for you:\n\n1. Paged KV cache offloading');
    await email.messenger.sendAlert(id, { day: '2025-12-19', papers: [view('2512.10001', 'Expert offloading', { reasons: ['MoE'] })] });
    expect((await smtp.nextEmail()).text).not.toContain('/email/picks/stop');
  });

  it('GIVEN a subscriber who unsubscribes from everything THEN their picks go too', async () => {
    const id = await subscriber('reader@example.org', 'MoE picks');
    await email.messenger.sendAlert(id, { day: '2025-12-18', papers: [], picks: [HOSTILE_PICK] });
    const unsubscribe = /\/email\/unsubscribe\?token=[A-Za-z0-9._-]+/.exec((await smtp.nextEmail()).text ?? '')?.[0] as string;
    expect((await web.post(unsubscribe, {})).status).toBe(200);
    expect(await hasPickSubscription(app.db, { platform: 'email', userId: id })).toBe(false);
  });
});
