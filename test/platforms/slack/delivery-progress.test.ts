import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryProgress, DigestMessage, Messenger } from '../../../src/domain/delivery.ts';
import { createLogger } from '../../../src/log.ts';
import { ChannelPacer } from '../../../src/platforms/slack/channel-pacer.ts';
import { createApiClient } from '../../../src/platforms/slack/create-slack-app.ts';
import { createSlackMessenger } from '../../../src/platforms/slack/slack-messenger.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { captureStream } from '../../helpers/test-app.ts';
import { paperView } from './slack-test-kit.ts';

/** What the delivery ledger does with a delivery's row: keeps the last state saved, across restarts. */
class LedgerProgress implements DeliveryProgress {
  stored: string | null = null;
  readonly saves: string[] = [];
  failSaves = false;

  async load(): Promise<string | null> {
    return this.stored;
  }

  async save(state: string): Promise<void> {
    if (this.failSaves) throw new Error('SQLITE_BUSY: database is locked');
    this.saves.push(state);
    this.stored = state;
  }
}

// 30 papers make a header and two thread replies.
const digest: DigestMessage = {
  day: '2025-12-18',
  papers: Array.from({ length: 2 }, (_, index) => paperView(index)),
  tagCounts: [['serving', 2]],
};

describe('Slack messenger with the ledger’s DeliveryProgress', () => {
  let fake: FakeSlackApi;
  let logs: ReturnType<typeof captureStream>;

  /** A new messenger is what a restarted process has: nothing in memory. */
  function freshMessenger(): Messenger {
    const log = createLogger('debug', logs.stream);
    const client = createApiClient({ mode: 'socket', apiUrl: fake.apiUrl, botToken: 'xoxb-test', appToken: 'xapp-test', adminUsers: [] }, log);
    return createSlackMessenger({ client, log, pacer: new ChannelPacer({ intervalMs: 0 }), sleep: async () => undefined, maxAttempts: 1 });
  }

  const headers = () => fake.posted.filter((message) => message.threadTs === null);

  beforeEach(async () => {
    fake = await FakeSlackApi.start();
    fake.addUsers('U42');
    logs = captureStream();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('GIVEN a digest THEN the thread ts and the parts sent are saved after each part', async () => {
    const progress = new LedgerProgress();
    const result = await freshMessenger().postDigest('C100', digest, progress);
    expect(result.ok).toBe(true);
    const ts = headers()[0]?.ts;
    expect(progress.saves.map((state) => JSON.parse(state))).toEqual([
      { ts, sent: 1 },
      { ts, sent: 2 },
      { ts, sent: 3 },
    ]);
  });

  it('GIVEN a digest that stopped after its header WHEN a restarted process retries it THEN the header is not posted again and the papers go into its thread', async () => {
    const progress = new LedgerProgress();
    fake.script('chat.postMessage', { pass: true }, { error: 'internal_error' });
    const first = await freshMessenger().postDigest('C100', digest, progress);
    expect(first).toMatchObject({ ok: false, permanent: false });
    const [header] = headers();

    const again = await freshMessenger().postDigest('C100', digest, progress);

    expect(again).toEqual({ ok: true, ref: `C100:${header?.ts}` });
    expect(headers()).toHaveLength(1);
    expect(fake.posted.slice(1).map((message) => message.threadTs)).toEqual([header?.ts, header?.ts]);
  });

  it('GIVEN the same failure and no progress WHEN a restarted process retries THEN the header is posted twice (memory does not survive)', async () => {
    fake.script('chat.postMessage', { pass: true }, { error: 'internal_error' });
    await freshMessenger().postDigest('C100', digest);
    await freshMessenger().postDigest('C100', digest);
    expect(headers()).toHaveLength(2);
  });

  it('GIVEN a digest that was posted in full WHEN it is retried with its progress THEN nothing is posted and it reports success', async () => {
    const progress = new LedgerProgress();
    await freshMessenger().postDigest('C100', digest, progress);
    const posted = fake.posted.length;
    const again = await freshMessenger().postDigest('C100', digest, progress);
    expect(again).toEqual({ ok: true, ref: `C100:${headers()[0]?.ts}` });
    expect(fake.posted).toHaveLength(posted);
  });

  it('GIVEN an alert that stopped after its first message WHEN retried after a restart THEN the DM continues with the second', async () => {
    const progress = new LedgerProgress();
    const alert = { day: '2025-12-18', papers: Array.from({ length: 20 }, (_, index) => paperView(index, { reasons: ['MoE'] })) };
    fake.script('chat.postMessage', { pass: true }, { error: 'service_unavailable' });
    expect((await freshMessenger().sendAlert('U42', alert, progress)).ok).toBe(false);
    expect(await freshMessenger().sendAlert('U42', alert, progress)).toMatchObject({ ok: true });
    const texts = fake.posted.map((message) => message.call.params.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^20 new papers for your subscriptions/);
    expect(texts[1]).toMatch(/^\(continued 2\/2\)/);
  });

  it('GIVEN a stored state that is not ours THEN the error is logged and the digest is posted from the start', async () => {
    const progress = new LedgerProgress();
    progress.stored = 'discord:{"message":"123"}';
    const result = await freshMessenger().postDigest('C100', digest, progress);
    expect(result.ok).toBe(true);
    expect(fake.posted).toHaveLength(3);
    expect(logs.text()).toContain('slack delivery progress unreadable; starting over');
  });

  it('GIVEN the ledger cannot save THEN the send stops at once with a transient failure, logged', async () => {
    const progress = new LedgerProgress();
    progress.failSaves = true;
    const result = await freshMessenger().postDigest('C100', digest, progress);
    expect(result).toMatchObject({ ok: false, permanent: false, reason: expect.stringContaining('could not save') });
    expect(fake.posted).toHaveLength(1);
    expect(logs.text()).toContain('slack delivery progress not saved');
  });

  it('GIVEN the ledger cannot be read THEN nothing is posted and the failure is transient', async () => {
    const progress: DeliveryProgress = {
      load: () => Promise.reject(new Error('SQLITE_IOERR')),
      save: () => Promise.resolve(),
    };
    const result = await freshMessenger().postDigest('C100', digest, progress);
    expect(result).toMatchObject({ ok: false, permanent: false });
    expect(fake.posted).toHaveLength(0);
  });
});
