import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../commands/command.ts';
import { digestCommand } from '../../commands/digest.ts';
import { runCommand } from '../../commands/run-command.ts';
import type { App } from '../../src/app.ts';
import { enabledChannelDigests, getChannelDigest } from '../../src/store/channels.ts';
import { commandContext } from '../helpers/command-context.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const admin: Partial<Caller> = { userId: 'U1', displayName: 'Alice', channelId: 'C1', canAdministerChannel: true };
const member: Partial<Caller> = { userId: 'U2', displayName: 'Bob', channelId: 'C1', canAdministerChannel: false };

describe('/digest', () => {
  let app: App;
  const digest = (who: Partial<Caller>, text: string) => runCommand(digestCommand, commandContext(app, who), { text });

  beforeEach(async () => {
    app = await openTestApp({ DIGEST_TIMEZONE: 'Asia/Shanghai', SLACK_DIGEST_CHANNELS: 'C9' }, { now: fixedClock('2025-12-19T01:30:00Z').now });
  });
  afterEach(() => app.close());

  it.each(['here', 'here MoE', 'off'])(
    'GIVEN a member who may not administer the channel WHEN /digest %s THEN it is refused and nothing changes',
    async (text) => {
      const reply = await digest(member, text);
      expect(reply).toEqual({ text: 'Only people who can manage this channel may change its digest. Ask a channel or workspace admin.', private: true });
      expect(await getChannelDigest(app.db, { platform: 'slack', channelId: 'C1' })).toBeNull();
    },
  );

  it('GIVEN an admin WHEN /digest here with tags THEN the channel gets those tags and the channel is told publicly', async () => {
    const reply = await digest(admin, 'here mixture of experts serving');
    expect(reply).toEqual({
      text: 'Alice set this channel to get the daily digest of papers tagged `MoE` or `serving`, on the schedule `0 8 * * *` (Asia/Shanghai).',
      private: false,
    });
    expect(await enabledChannelDigests(app.db, 'slack')).toMatchObject([{ channelId: 'C1', tags: ['MoE', 'serving'], updatedBy: { userId: 'U1' } }]);
  });

  it('GIVEN a digest is on THEN any member can see its status privately, and an admin can turn it off', async () => {
    await digest(admin, 'here');
    expect(await digest(member, 'status')).toEqual({
      text: 'This channel gets the daily digest of all relevant papers, on the schedule `0 8 * * *` (Asia/Shanghai).\nSet by Alice on 2025-12-19.',
      private: true,
    });
    expect(await digest(admin, 'OFF')).toEqual({ text: 'Alice turned the daily digest off for this channel.', private: false });
    expect((await digest(member, '')).text).toMatch(/^The daily digest is off for this channel \(turned off by Alice on 2025-12-19\)\./);
    expect(await digest(admin, 'off')).toEqual({ text: 'This channel was not getting the daily digest; nothing changed.', private: true });
  });

  it('GIVEN a channel from the configuration THEN status says the setting does not stop it', async () => {
    expect((await digest({ ...member, channelId: 'C9' }, 'status')).text).toMatch(/also listed in the bot’s configuration/);
  });

  it.each([
    ['here MoE scaling', /^‘scaling’ is not a tag\. Tags: `serving`/],
    ['sometimes', /^Use `\/digest here`/],
    ['off now', /^`\/digest off` takes nothing after it\.$/],
  ])('GIVEN /digest %s THEN the admin is told what to fix', async (text, message) => {
    expect((await digest(admin, text)).text).toMatch(message);
    expect(await getChannelDigest(app.db, { platform: 'slack', channelId: 'C1' })).toBeNull();
  });

  it('GIVEN no channel THEN /digest asks to be run in one', async () => {
    expect((await digest({ ...admin, channelId: null }, 'here')).text).toBe('Run `/digest` in the channel that should get the digest.');
  });

  it('GIVEN a display name with backticks THEN it cannot open a code span in the public reply', async () => {
    const reply = await digest({ ...admin, displayName: '`@channel` Eve' }, 'here');
    expect(reply.text).toMatch(/^ʼ@channelʼ Eve set this channel/);
  });
});
