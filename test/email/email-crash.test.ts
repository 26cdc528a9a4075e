import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageIdFor } from '../../src/email/message-id.ts';
import { latestAnnouncementDay } from '../../src/pipeline/ingest.ts';
import { FakeSmtp } from '../fakes/smtp-server.ts';
import { killLeftovers, spawnCli } from '../helpers/cli-process.ts';
import { emailLedger, seedEmailDay } from '../helpers/email-day.ts';

const SUBSCRIBERS = 8;

/**
 * Email cannot reconcile: SMTP cannot ask whether an earlier send arrived. A `kill -9` after the
 * relay took a message and before the ledger marked it therefore sends that email again — what
 * this measures — with the same Message-ID, so the duplicate can be recognised (and is dropped by
 * mail systems that drop a Message-ID the mailbox already holds). Nothing is lost.
 */
describe('email alerts across a kill -9 mid-send', () => {
  let dir: string;
  let smtp: FakeSmtp;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-email-crash-'));
    smtp = await FakeSmtp.start();
  });
  afterEach(async () => {
    await killLeftovers();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN digest killed while the relay holds the 250 of two emails THEN the rerun leaves no gap, and the only duplicates are those two, each with its Message-ID', async () => {
    const url = `sqlite://${join(dir, 'papers.db')}`;
    const day = latestAnnouncementDay(new Date());
    const recipients = await seedEmailDay(url, day, SUBSCRIBERS);
    const env = { DATABASE_URL: url, SMTP_URL: smtp.url, MAIL_FROM: 'papers@example.org', WEB_BASE_URL: 'https://papers.example.org', LOG_LEVEL: 'warn' };
    smtp.dataDelayMs = 1000;
    const digest = spawnCli(['digest'], env, dir);
    await smtp.dataComplete(2);
    digest.signal('SIGKILL');
    await digest.exited;
    expect((await emailLedger(url, day)).filter((row) => row.status === 'claimed')).toHaveLength(2);

    smtp.dataDelayMs = 0;
    // The dead process's claims count as abandoned at once, as they would after DELIVERY_CLAIM_TIMEOUT_MS.
    const rerun = spawnCli(['digest'], { ...env, DELIVERY_CLAIM_TIMEOUT_MS: '1' }, dir);
    expect((await rerun.exited).code).toBe(0);

    const ledger = await emailLedger(url, day);
    expect(ledger.map((row) => row.status)).toEqual(Array(SUBSCRIBERS).fill('sent'));
    const byRecipient = new Map<string, string[]>();
    for (const email of smtp.received)
      byRecipient.set(email.to.join(), [...(byRecipient.get(email.to.join()) ?? []), email.headers.get('message-id') as string]);
    const gaps = recipients.filter((address) => !byRecipient.has(address));
    const duplicated = [...byRecipient].filter(([, ids]) => ids.length > 1);
    expect({ sent: smtp.received.length, gaps: gaps.length, duplicates: duplicated.length }).toEqual({ sent: SUBSCRIBERS + 2, gaps: 0, duplicates: 2 });
    for (const [, ids] of duplicated) expect(new Set(ids).size).toBe(1);
    const expectedIds = ledger.map((row) => messageIdFor(`alert:email:${row.target}:${day}`, 'papers.example.org')).sort();
    expect([...new Set(smtp.received.map((email) => email.headers.get('message-id')))].sort()).toEqual(expectedIds);
  });
});
