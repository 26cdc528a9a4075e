import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryProgress, DigestMessage, Messenger } from '../../../src/domain/delivery.ts';
import { createLogger } from '../../../src/log.ts';
import { ChannelPacer } from '../../../src/platforms/slack/channel-pacer.ts';
import { createApiClient } from '../../../src/platforms/slack/create-slack-app.ts';
import { createSlackMessenger } from '../../../src/platforms/slack/slack-messenger.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { paperView } from './slack-test-kit.ts';

const DAY = '2025-12-18';

/** The ledger's row for one delivery: its key, and the progress saved — until the process "dies" after `savesBeforeCrash` saves. */
class LedgerRow implements DeliveryProgress {
  stored: string | null = null;
  savesBeforeCrash = Number.POSITIVE_INFINITY;
  readonly key: string;
  constructor(key: string) {
    this.key = key;
  }

  async load(): Promise<string | null> {
    return this.stored;
  }

  async save(state: string): Promise<void> {
    if (this.savesBeforeCrash <= 0) throw new Error('the process died before the ledger recorded this');
    this.savesBeforeCrash -= 1;
    this.stored = state;
  }
}

// 30 papers make a header and two thread replies.
const digest: DigestMessage = { day: DAY, papers: Array.from({ length: 2 }, (_, index) => paperView(index)), tagCounts: [['serving', 2]] };
const alert = { day: DAY, papers: [paperView(1, { reasons: ['MoE'] })] };

/**
 * A crash can land after Slack took a post and before the ledger recorded it. Every post carries
 * its delivery's key as message metadata; `findDelivered` looks for it in the channel's or the
 * DM's history, so the retry after the crash does not post it again.
 */
describe('Slack findDelivered: message metadata found again in history', () => {
  let fake: FakeSlackApi;

  /** What a restarted process has: nothing in memory. */
  function freshMessenger(): Messenger {
    const log = createLogger('silent');
    const client = createApiClient({ mode: 'socket', apiUrl: fake.apiUrl, botToken: 'xoxb-test', appToken: 'xapp-test', adminUsers: [] }, log);
    return createSlackMessenger({ client, log, pacer: new ChannelPacer({ intervalMs: 0 }), sleep: async () => undefined, maxAttempts: 1 });
  }

  beforeEach(async () => {
    fake = await FakeSlackApi.start();
    fake.addUsers('U42', 'U43');
  });
  afterEach(async () => {
    await fake.close();
  });

  it('GIVEN any post THEN it carries the delivery key, its part and the number of parts as message metadata (and a digest reply its paper)', async () => {
    await freshMessenger().postDigest('C100', digest, new LedgerRow(`digest:slack:C100:${DAY}`));
    const papers = [undefined, ...digest.papers.map((paper) => paper.id)];
    expect(fake.posted.map((message) => message.metadata)).toEqual(
      [0, 1, 2].map((part) => ({
        event_type: 'lmsys_papers_delivery',
        event_payload: { key: `digest:slack:C100:${DAY}`, part, parts: 3, ...(papers[part] ? { paper: papers[part] } : {}) },
      })),
    );
  });

  it('GIVEN an alert Slack took but the ledger never recorded WHEN a restarted process asks THEN it is found in the DM, among other messages', async () => {
    const row = new LedgerRow(`alert:slack:U42:${DAY}`);
    row.savesBeforeCrash = 0;
    expect((await freshMessenger().sendAlert('U42', alert, row)).ok).toBe(false);
    // The DM goes on: more than a page of later messages from the bot and the person.
    for (let index = 0; index < 450; index++) fake.addMessage('D42', `later ${index}`, index % 2 ? 'U42' : 'UBOT');
    const [post] = fake.posted;

    const found = await freshMessenger().findDelivered?.({ kind: 'alert', target: 'U42', day: DAY, key: row.key });

    expect(found).toEqual({ ref: `D42:${post?.ts}` });
    expect(fake.callsTo('conversations.history').length).toBeGreaterThan(2);
    expect(fake.callsTo('conversations.history')[0]?.params).toMatchObject({ channel: 'D42', include_all_metadata: 'true' });
  });

  it('GIVEN another day’s alert or another person THEN nothing is found, and the alert goes out', async () => {
    await freshMessenger().sendAlert('U42', alert, new LedgerRow(`alert:slack:U42:${DAY}`));
    const messenger = freshMessenger();
    expect(await messenger.findDelivered?.({ kind: 'alert', target: 'U42', day: '2025-12-19', key: 'alert:slack:U42:2025-12-19' })).toBeNull();
    expect(await messenger.findDelivered?.({ kind: 'alert', target: 'U43', day: DAY, key: `alert:slack:U43:${DAY}` })).toBeNull();
  });

  it('GIVEN a digest whose first thread reply arrived but was not recorded WHEN retried after a restart THEN only the last reply is posted, in the same thread', async () => {
    const row = new LedgerRow(`digest:slack:C100:${DAY}`);
    row.savesBeforeCrash = 1; // the header is recorded, the reply after it is not
    expect((await freshMessenger().postDigest('C100', digest, row)).ok).toBe(false);
    expect(fake.posted).toHaveLength(2);
    const [header] = fake.posted;
    row.savesBeforeCrash = Number.POSITIVE_INFINITY;

    const restarted = freshMessenger();
    const lookup = { kind: 'digest' as const, target: 'C100', day: DAY, key: row.key };
    expect(await restarted.findDelivered?.(lookup)).toBeNull();
    expect(await restarted.postDigest('C100', digest, row)).toEqual({ ok: true, ref: `C100:${header?.ts}` });

    expect(fake.posted).toHaveLength(3);
    expect(fake.posted.map((message) => message.threadTs)).toEqual([null, header?.ts, header?.ts]);
    expect(await freshMessenger().findDelivered?.(lookup)).toEqual({ ref: `C100:${header?.ts}` });
  });

  it('GIVEN an install without the history scopes THEN the lookup fails saying which scope, and the job sends again', async () => {
    fake.scopes.delete('im:history');
    await expect(freshMessenger().findDelivered?.({ kind: 'alert', target: 'U42', day: DAY, key: `alert:slack:U42:${DAY}` })).rejects.toThrow(
      'reinstall it from slack/manifest.yaml (needs im:history)',
    );
  });
});
