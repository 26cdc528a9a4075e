import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import {
  alertedVersions,
  claimNew,
  type DeliveryKey,
  deliveryTallies,
  dueDeliveries,
  giveUpAbandoned,
  markFailed,
  markSent,
  nextDueAt,
  reclaim,
} from '../../src/store/ledger.ts';
import { announce, paperRecord } from '../helpers/papers.ts';
import { openTestApp } from '../helpers/test-app.ts';

const T0 = '2025-12-19T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const alert = (target: string, day = '2025-12-18'): DeliveryKey => ({ kind: 'alert', platform: 'slack', target, day });
/** Claims older than 10 minutes are stale; 3 tries. */
const policy = (now: string) => ({ staleBefore: new Date(Date.parse(now) - 10 * 60_000).toISOString(), maxAttempts: 3 });

describe('delivery ledger', () => {
  let app: App;
  beforeEach(async () => {
    app = await openTestApp();
    await announce(app, [paperRecord(1), paperRecord(2)]);
  });
  afterEach(() => app.close());

  it('GIVEN a delivery claimed once THEN a second claim of the same kind, platform, target and day gets nothing', async () => {
    const first = await claimNew(app.db, alert('U1'), [{ id: '2512.10001', version: 1, isUpdate: false, reasons: ['MoE'] }], T0);
    const second = await claimNew(app.db, alert('U1'), [], T0);
    const otherDay = await claimNew(app.db, alert('U1', '2025-12-19'), [], T0);
    expect(first).toMatchObject({ status: 'claimed', attempts: 1, claimedAt: T0 });
    expect(second).toBeNull();
    expect(otherDay).not.toBeNull();
  });

  it.each([
    ['a failed delivery not yet due', false, 'failed', at(5), at(2)],
    ['a failed delivery now due', true, 'failed', at(5), at(5)],
    ['a fresh claim (a live process may still be sending)', false, 'claimed', null, at(9)],
    ['a stale claim (its process died)', true, 'claimed', null, at(11)],
    ['a sent delivery', false, 'sent', null, at(60)],
    ['a permanent failure', false, 'permanent', null, at(60)],
  ] as const)('GIVEN %s THEN it is due and can be claimed again: %s', async (_name, expected, status, nextAttemptAt, now) => {
    const claimed = await claimNew(app.db, alert('U1'), [], T0);
    if (!claimed) throw new Error('not claimed');
    if (status === 'sent') await markSent(app.db, claimed.id, null, T0);
    if (status === 'failed' || status === 'permanent') {
      await markFailed(app.db, claimed.id, { reason: 'x', permanent: status === 'permanent', nextAttemptAt }, T0);
    }
    expect((await dueDeliveries(app.db, now, policy(now), ['slack'])).length).toBe(expected ? 1 : 0);
    const again = await reclaim(app.db, claimed.id, now, policy(now));
    expect(again !== null).toBe(expected);
    if (again) expect(again).toMatchObject({ status: 'claimed', attempts: 2, claimedAt: now, nextAttemptAt: null });
  });

  it('GIVEN a delivery at its last try THEN it is not reclaimed, and a stale claim at its last try is given up as failed', async () => {
    const claimed = await claimNew(app.db, alert('U1'), [], T0);
    if (!claimed) throw new Error('not claimed');
    await app.db.run('UPDATE deliveries SET attempts = 3 WHERE id = ?', [claimed.id]);
    expect(await reclaim(app.db, claimed.id, at(30), policy(at(30)))).toBeNull();
    expect(await giveUpAbandoned(app.db, at(30), policy(at(30)))).toBe(1);
    expect(await deliveryTallies(app.db, 7)).toEqual([{ day: '2025-12-18', kind: 'alert', sent: 0, pending: 0, failed: 1 }]);
  });

  it('GIVEN alerts sent on earlier days THEN alertedVersions gives each person the highest version they were sent, sent alerts only', async () => {
    const paper = (version: number) => [{ id: '2512.10001', version, isUpdate: version > 1, reasons: [] }];
    const sent = async (key: DeliveryKey, version: number) => {
      const claimed = await claimNew(app.db, key, paper(version), T0);
      if (claimed) await markSent(app.db, claimed.id, null, T0);
    };
    await sent(alert('U1', '2025-12-16'), 1);
    await sent(alert('U1', '2025-12-17'), 2);
    await sent(alert('U2', '2025-12-18'), 2);
    await claimNew(app.db, alert('U3', '2025-12-16'), paper(1), T0);

    expect(await alertedVersions(app.db, ['2512.10001', '2512.10002'], '2025-12-18')).toEqual([
      { platform: 'slack', target: 'U1', paperId: '2512.10001', version: 2 },
    ]);
  });

  it('GIVEN failed and claimed deliveries THEN nextDueAt is the earliest retry or claim expiry of the platforms asked about', async () => {
    const retrying = await claimNew(app.db, alert('U1'), [], T0);
    if (!retrying) throw new Error('not claimed');
    await markFailed(app.db, retrying.id, { reason: 'x', permanent: false, nextAttemptAt: at(30) }, T0);
    await claimNew(app.db, alert('U2'), [], at(1));
    await claimNew(app.db, { ...alert('U3'), platform: 'discord' }, [], T0);

    expect(await nextDueAt(app.db, ['slack'], 10 * 60_000, 3)).toEqual(new Date(at(11)));
    expect(await nextDueAt(app.db, ['discord'], 10 * 60_000, 3)).toEqual(new Date(at(10)));
    expect(await nextDueAt(app.db, ['email'], 10 * 60_000, 3)).toBeNull();
  });

  it('GIVEN deliveries in every state THEN the tallies count sent, pending (claimed or retrying) and failed (permanent or out of tries)', async () => {
    const states: [string, (id: number) => Promise<void>][] = [
      ['A', (id) => markSent(app.db, id, 'ref', T0)],
      ['B', async () => undefined],
      ['C', (id) => markFailed(app.db, id, { reason: 'x', permanent: false, nextAttemptAt: at(5) }, T0)],
      ['D', (id) => markFailed(app.db, id, { reason: 'x', permanent: false, nextAttemptAt: null }, T0)],
      ['E', (id) => markFailed(app.db, id, { reason: 'gone', permanent: true, nextAttemptAt: at(5) }, T0)],
    ];
    for (const [target, settle] of states) {
      const claimed = await claimNew(app.db, { kind: 'digest', platform: 'discord', target, day: '2025-12-18' }, [], T0);
      if (claimed) await settle(claimed.id);
    }
    expect(await deliveryTallies(app.db, 7)).toEqual([{ day: '2025-12-18', kind: 'digest', sent: 1, pending: 2, failed: 2 }]);
  });
});
