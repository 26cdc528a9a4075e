import { openApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { insertSubscriber } from '../../src/email/subscriber-store.ts';
import { createLogger } from '../../src/log.ts';
import { recordRun } from '../../src/store/runs.ts';
import { storeClassified } from './classified.ts';
import { subscribe } from './daily-run.ts';
import { paperRecord } from './papers.ts';

/** The settings of a `digest` that sends the seeded day's email alerts through `smtpUrl` (a child process's env). */
export function emailDayEnv(url: string, arxiv: { rssUrl: string; apiUrl: string }, smtpUrl: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    ARXIV_RSS_URL: arxiv.rssUrl,
    ARXIV_API_URL: arxiv.apiUrl,
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'lmsys-papers <papers@example.org>',
    WEB_BASE_URL: 'https://papers.example.org',
    LOG_LEVEL: 'warn',
  };
}

/** A day of MoE papers, ingested and classified, and `count` email subscribers following MoE. Returns their addresses. */
export async function seedEmailDay(url: string, day: string, count: number): Promise<string[]> {
  const app = await openApp(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), createLogger('silent'));
  try {
    for (let number = 1; number <= 3; number++) await storeClassified(app, paperRecord(number, { title: `MoE paper ${number}` }), day, { tags: ['MoE'] });
    const now = new Date();
    await recordRun(app.db, { kind: 'ingest', day, source: 'rss', status: 'ok', startedAt: now, finishedAt: now });
    const addresses: string[] = [];
    for (let index = 0; index < count; index++) {
      const id = `subscriber${index}`;
      const address = `reader${index}@example.org`;
      await insertSubscriber(app.db, { id, address, unsubscribeKey: `key-${index}`, confirmedAt: now.toISOString() });
      await subscribe(app, 'email', id, 'MoE');
      addresses.push(address);
    }
    return addresses;
  } finally {
    await app.close();
  }
}

export async function emailLedger(url: string, day: string): Promise<{ target: string; status: string }[]> {
  const app = await openApp(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), createLogger('silent'));
  try {
    return await app.db.all("SELECT target, status FROM deliveries WHERE platform = 'email' AND day = ? ORDER BY target", [day]);
  } finally {
    await app.close();
  }
}
