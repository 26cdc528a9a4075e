import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { allSubscriptions } from '../../src/store/subscriptions.ts';
import { FakeSmtp, type ReceivedEmail } from '../fakes/smtp-server.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';
import { startTestWeb, type TestWeb, testEmail } from '../helpers/web.ts';

const clock = fixedClock('2025-12-19T01:30:00Z');

/** The confirmation link of an email, as a path (`/email/confirm?token=c.…`). */
function linkIn(email: ReceivedEmail, kind: 'confirm' | 'unsubscribe'): string {
  const match = new RegExp(`https?://[^/\\s]+(/email/${kind}\\?token=[A-Za-z0-9._-]+)`).exec(email.text ?? '');
  if (!match) throw new Error(`no ${kind} link in:\n${email.text}`);
  return match[1] as string;
}

describe('email subscriptions through the web form', () => {
  let app: App;
  let smtp: FakeSmtp;
  let web: TestWeb;
  const count = async (table: string) => (await app.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0;
  const subscribe = (address: string, what: string, headers: Record<string, string> = {}) => web.post('/subscribe', { address, what }, headers);
  const start = async (limits = { perClient: 100, perAddress: 100 }, trustProxy = false) => {
    web = await startTestWeb(app, { email: testEmail(app, smtp.url, limits), trustProxy });
  };

  beforeEach(async () => {
    clock.set('2025-12-19T01:30:00Z');
    app = await openTestApp({}, { now: clock.now });
    smtp = await FakeSmtp.start();
  });
  afterEach(async () => {
    await web.close();
    await smtp.close();
    await app.close();
  });

  it('GIVEN the form THEN a confirmation email goes out and nothing is subscribed before the link is used', async () => {
    await start();
    const form = await web.get('/subscribe?what=MoE');
    expect(await form.text()).toContain('<input id="what" name="what" type="text" required maxlength="300" value="MoE"');

    const response = await subscribe('  Reader@Example.ORG ', 'MoE speculative decoding author:Song Han');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('If the address can receive email, a confirmation link is on its way.');
    const email = await smtp.nextEmail();
    expect(email.to).toEqual(['reader@example.org']);
    expect(email.from).toBe('papers@example.org');
    expect(email.subject).toBe('Confirm your lmsys-papers email alerts');
    expect(email.text).toContain('tag MoE, keyword ‘speculative decoding’, author ‘Song Han’');
    expect(email.html).toContain('>Confirm</a>');
    expect(email.headers.get('list-unsubscribe')).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/email\/unsubscribe\?token=c\.[A-Za-z0-9_-]{43}>/);
    expect(email.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(await count('email_subscribers')).toBe(0);
    expect(await allSubscriptions(app.db, 'email')).toEqual([]);
    // Only a hash of the token is stored.
    const token = linkIn(email, 'confirm').split('token=')[1] as string;
    expect(JSON.stringify(await app.db.all('SELECT * FROM email_requests'))).not.toContain(token);
  });

  it('GIVEN the confirmation link THEN GET only asks, POST subscribes, and the link works once', async () => {
    await start();
    await subscribe('reader@example.org', 'MoE "kv cache" author:Song Han');
    const confirm = linkIn(await smtp.nextEmail(), 'confirm');

    const asked = await web.get(confirm);
    expect(asked.status).toBe(200);
    expect(asked.headers.get('cache-control')).toBe('no-store');
    const page = await asked.text();
    expect(page).toContain('Send reader@example.org one email per announcement day with new papers matching: tag MoE, phrase “kv cache”, author ‘Song Han’.');
    expect(page).toContain(`<form method="post" action="${confirm}"><button type="submit">Confirm</button></form>`);
    expect(await count('email_subscribers')).toBe(0);

    const confirmed = await web.post(confirm, {});
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('reader@example.org now follows: tag MoE, phrase “kv cache”, author ‘Song Han’.');
    const rows = await allSubscriptions(app.db, 'email');
    expect(rows.map((row) => [row.kind, row.value])).toEqual([
      ['tag', 'MoE'],
      ['phrase', 'kv cache'],
      ['author', 'Song Han'],
    ]);
    const subscriber = await app.db.get<{ id: string; address: string }>('SELECT id, address FROM email_subscribers');
    expect(subscriber?.address).toBe('reader@example.org');
    expect(subscriber?.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(rows.every((row) => row.userId === subscriber?.id)).toBe(true);

    expect((await web.post(confirm, {})).status).toBe(410);
    expect((await web.get(confirm)).status).toBe(410);
  });

  it('GIVEN a second form for a subscribed address THEN confirming adds to what it follows', async () => {
    await start();
    await subscribe('reader@example.org', 'MoE');
    await web.post(linkIn(await smtp.nextEmail(), 'confirm'), {});
    await subscribe('READER@example.org', 'serving MoE');
    await web.post(linkIn(await smtp.nextEmail(), 'confirm'), {});
    expect((await allSubscriptions(app.db, 'email')).map((row) => row.value)).toEqual(['MoE', 'serving']);
    expect(await count('email_subscribers')).toBe(1);
  });

  it('GIVEN a link older than 48 hours THEN it no longer confirms', async () => {
    await start();
    await subscribe('reader@example.org', 'MoE');
    const confirm = linkIn(await smtp.nextEmail(), 'confirm');
    clock.set('2025-12-21T01:30:01Z');
    const response = await web.post(confirm, {});
    expect(response.status).toBe(410);
    expect(await response.text()).toContain('It expired or was already used.');
    expect(await count('email_subscribers')).toBe(0);
  });

  it.each([
    ['forged', '/email/confirm?token=c.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['malformed', '/email/confirm?token=%3Cscript%3E'],
    ['missing', '/email/confirm'],
  ])('GIVEN a %s confirmation token THEN 410 and nothing changes', async (_name, path) => {
    await start();
    expect((await web.get(path)).status).toBe(410);
    expect((await web.post(path, {})).status).toBe(410);
  });

  it('GIVEN the cancel link of a confirmation email THEN the request is gone and the address unsubscribed', async () => {
    await start();
    await subscribe('reader@example.org', 'MoE');
    await web.post(linkIn(await smtp.nextEmail(), 'confirm'), {});
    await subscribe('reader@example.org', 'serving');
    const second = await smtp.nextEmail();
    const cancel = linkIn(second, 'unsubscribe');
    expect(await (await web.get(cancel)).text()).toContain('reader@example.org follows: tag MoE.');
    expect((await web.post(cancel, {})).status).toBe(200);
    expect(await count('email_subscribers')).toBe(0);
    expect(await allSubscriptions(app.db, 'email')).toEqual([]);
    expect((await web.post(linkIn(second, 'confirm'), {})).status).toBe(410);
  });

  it('GIVEN a new, a pending and a subscribed address THEN the form answers all three alike', async () => {
    await start();
    await subscribe('subscribed@example.org', 'MoE');
    await web.post(linkIn(await smtp.nextEmail(), 'confirm'), {});
    await subscribe('pending@example.org', 'MoE');
    await smtp.nextEmail();
    const answers = [];
    for (const address of ['new@example.org', 'pending@example.org', 'subscribed@example.org']) {
      const response = await subscribe(address, 'MoE');
      answers.push({ status: response.status, body: await response.text() });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(smtp.received.map((email) => email.to[0])).toEqual([
      'subscribed@example.org',
      'pending@example.org',
      'new@example.org',
      'pending@example.org',
      'subscribed@example.org',
    ]);
  });

  it.each([
    ['not-an-address', 'MoE', 'address', 'That does not look like an email address'],
    ['a@b', 'MoE', 'address', 'That does not look like an email address'],
    ['reader@example.org', 'tag:nonsense', 'what', '“nonsense” is not a tag.'],
    ['reader@example.org', '   ', 'what', 'What should we follow?'],
    ['reader@example.org', 'x'.repeat(301), 'what', 'keep a subscription under 300'],
  ])('GIVEN address %j and %j THEN 400 on the %s field, nothing sent', async (address, what, field, message) => {
    await start();
    const response = await subscribe(address, what);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(message);
    expect(page).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
    expect(smtp.received).toEqual([]);
  });

  it('GIVEN more forms from one client than allowed in an hour THEN 429 for it, others still served', async () => {
    await start({ perClient: 2, perAddress: 100 }, true);
    const from = (ip: string) => ({ 'x-forwarded-for': `203.0.113.99, ${ip}` });
    expect((await subscribe('a@example.org', 'MoE', from('198.51.100.7'))).status).toBe(200);
    expect((await subscribe('b@example.org', 'MoE', from('198.51.100.7'))).status).toBe(200);
    const limited = await subscribe('c@example.org', 'MoE', from('198.51.100.7'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3600');
    expect((await subscribe('d@example.org', 'MoE', from('198.51.100.8'))).status).toBe(200);
    clock.set('2025-12-19T02:00:00Z');
    expect((await subscribe('e@example.org', 'MoE', from('198.51.100.7'))).status).toBe(200);
    expect(smtp.received.map((email) => email.to[0])).toEqual(['a@example.org', 'b@example.org', 'd@example.org', 'e@example.org']);
  });

  it('GIVEN more forms for one address than allowed in a day THEN the same answer, but no more email', async () => {
    await start({ perClient: 100, perAddress: 2 });
    const answers = new Set<string>();
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await subscribe('victim@example.org', 'MoE');
      answers.add(`${response.status} ${await response.text()}`);
    }
    expect(answers.size).toBe(1);
    expect(smtp.received).toHaveLength(2);
    const subjects = await app.db.all<{ subject: string }>('SELECT subject FROM rate_limits');
    expect(subjects.length).toBeGreaterThan(0);
    for (const { subject } of subjects) expect(subject).toMatch(/^[0-9a-f]{32}$/);
  });

  it('GIVEN SMTP down at subscribe time THEN 503 and nothing is kept', async () => {
    await start();
    smtp.down = true;
    const response = await subscribe('reader@example.org', 'MoE');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('We could not send the confirmation email just now; nothing was saved.');
    expect(await count('email_requests')).toBe(0);
  });

  it('GIVEN a form body over 8 KiB THEN 413', async () => {
    await start();
    const response = await subscribe('reader@example.org', 'x'.repeat(9000));
    expect(response.status).toBe(413);
    expect(smtp.received).toEqual([]);
  });

  it('GIVEN SMTP configured THEN pages link the form', async () => {
    await start();
    expect(await (await web.get('/')).text()).toContain('<a href="/subscribe">Email alerts</a>');
    expect(await (await web.get('/search?q=MoE')).text()).toContain('<a href="/subscribe?what=MoE">Get new MoE papers by email</a>');
  });
});
