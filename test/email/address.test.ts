import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/email/address.ts';
import { emailSettings, senderAddress } from '../../src/email/email-settings.ts';
import { smtpFailure } from '../../src/email/mailer.ts';
import { clientNetwork } from '../../src/email/rate-limit.ts';

describe('email addresses', () => {
  it.each([
    ['reader@example.org', 'reader@example.org'],
    ['  Reader.Name+papers@Example.ORG  ', 'reader.name+papers@example.org'],
    ["o'brien@mail.example.co.uk", "o'brien@mail.example.co.uk"],
    ['user@bücher.example', 'user@xn--bcher-kva.example'],
    ['user@example.org.', 'user@example.org'],
  ])('GIVEN %j THEN %j', (input, expected) => {
    expect(normalizeAddress(input)).toBe(expected);
  });

  it.each([
    '',
    'plain',
    '@example.org',
    'user@',
    'user@localhost',
    'user@10.0.0.1',
    'user@[127.0.0.1]',
    'a b@example.org',
    '"quoted"@example.org',
    '.dot@example.org',
    'dot.@example.org',
    'two..dots@example.org',
    'user@-bad.example',
    'user@example..org',
    'üser@example.org',
    'user@example.org\r\nBcc: victim@example.org',
    `${'a'.repeat(65)}@example.org`,
    `user@${'a'.repeat(250)}.org`,
  ])('GIVEN %j THEN it is refused', (input) => {
    expect(normalizeAddress(input)).toBeNull();
  });
});

describe('email settings', () => {
  it('GIVEN no SMTP_URL THEN email is off, whatever else is set', () => {
    expect(emailSettings({ MAIL_FROM: 'papers@example.org' })).toBeNull();
  });

  it('GIVEN SMTP_URL, MAIL_FROM and WEB_BASE_URL THEN email is on', () => {
    expect(emailSettings({ SMTP_URL: 'smtp://relay:587', MAIL_FROM: 'lmsys-papers <papers@example.org>', WEB_BASE_URL: 'https://papers.example.org' })).toEqual(
      {
        smtpUrl: 'smtp://relay:587',
        from: 'lmsys-papers <papers@example.org>',
        baseUrl: 'https://papers.example.org',
      },
    );
  });

  it('GIVEN SMTP_URL alone THEN the error names both missing settings', () => {
    expect(() => emailSettings({ SMTP_URL: 'smtp://relay:587' })).toThrow(/MAIL_FROM="": required when SMTP_URL is set[\s\S]*WEB_BASE_URL="": required/);
  });

  it.each([
    ['papers@example.org', 'papers@example.org'],
    ['lmsys-papers <papers@example.org>', 'papers@example.org'],
    ['"Papers, daily" <papers@example.org>', 'papers@example.org'],
    ['not an address', null],
    ['x <a@b> <c@d>', null],
  ])('GIVEN MAIL_FROM %j THEN the sender is %j', (from, address) => {
    expect(senderAddress(from)).toBe(address);
  });
});

describe('client networks for rate limits', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('GIVEN %s THEN it counts as %s', (address, network) => {
    expect(clientNetwork(address)).toBe(network);
  });
});

describe('SMTP failures', () => {
  it.each([
    [{ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, message: 'No such mailbox' }, true],
    [{ code: 'EMESSAGE', command: 'DATA', responseCode: 552, message: 'Message too large' }, true],
    [{ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451, message: 'Try again later' }, false],
    // A relay that wants a login refuses the sender: every email alike, fixed by configuration.
    [{ code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 530, message: 'Authentication required' }, false],
    [{ code: 'EENVELOPE', command: 'API', message: 'No recipients defined' }, false],
    // Postfix refusing an unauthenticated relay, at RCPT TO: configuration, not the recipient.
    [{ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 554, response: '554 5.7.1 <a@b.org>: Relay access denied' }, false],
    [{ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.1.1 <a@b.org>: Recipient address rejected: User unknown' }, true],
    [{ code: 'EAUTH', responseCode: 535, message: 'Authentication failed' }, false],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }, false],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, false],
    [new Error('anything else'), false],
  ])('GIVEN %j THEN permanent is %s', (error, permanent) => {
    expect(smtpFailure(error)).toMatchObject({ ok: false, permanent });
  });

  it('GIVEN a reply that echoes the recipient THEN the reason leaves the address out', () => {
    const failure = smtpFailure({
      code: 'EENVELOPE',
      responseCode: 550,
      message: "Can't send mail - all recipients were rejected: 550 <reader@example.org>: No such user",
    });
    expect(failure.reason).toBe("EENVELOPE 550: Can't send mail - all recipients were rejected: 550 <<address>>: No such user");
  });
});
