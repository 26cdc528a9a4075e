import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../fakes/discord/rest-server.ts';
import { samplePaper } from './fake-command-port.ts';
import { gate, type Harness, startHarness } from './harness.ts';

const EPHEMERAL = 64;
const CALLBACK = { message: 4, deferredMessage: 5, deferredUpdate: 6, update: 7, autocomplete: 8 } as const;

type Body = Record<string, unknown> & { type?: number; data?: Record<string, unknown> };
const body = (request: RecordedRequest | undefined) => (request?.body ?? {}) as Body;
const embedsOf = (payload: Record<string, unknown> | undefined) => (payload?.embeds ?? []) as { title: string; description?: string; url?: string }[];

describe('Discord interactions through the real discord.js client', () => {
  let harness: Harness;
  afterEach(async () => {
    // The strict fake refuses what Discord refuses: a test passes only if Discord would have taken every request.
    expect(await harness.close()).toEqual([]);
  });

  it('GIVEN /papers slower than the deferral threshold THEN a private deferral, then an edit of @original with the papers as embeds', async () => {
    harness = await startHarness({ deferAfterMs: 0 });
    const late = gate();
    harness.port.answer = () => late.promise;
    const sent = harness.fake.interact('interaction-papers-command');

    const [deferral] = await harness.answers(sent.token, 1);
    expect(deferral).toMatchObject({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback`, authorized: false });
    expect(body(deferral)).toEqual({ type: CALLBACK.deferredMessage, data: { flags: EPHEMERAL } });

    late.open({ text: 'Papers tagged `MoE` from last week: 2 papers, newest first.', papers: [samplePaper(1), samplePaper(2)], private: true });
    const [, edit] = await harness.answers(sent.token, 2);
    expect(edit).toMatchObject({ method: 'PATCH', path: `/webhooks/${harness.fake.applicationId}/${sent.token}/messages/@original` });
    expect(body(edit).content).toBe('Papers tagged `MoE` from last week: 2 papers, newest first.');
    expect(embedsOf(edit?.body ?? undefined).map((embed) => embed.url)).toEqual(['https://arxiv.org/abs/2512.16001v1', 'https://arxiv.org/abs/2512.16002v1']);
    expect(body(edit).allowed_mentions).toEqual({ parse: [] });
    expect(harness.port.calls[0]).toMatchObject({
      name: 'papers',
      input: { text: 'MoE last week' },
      caller: { userId: '1100000000000001000', channelId: harness.fake.channelId },
    });
  });

  it.each([2100, 2900])(
    'GIVEN an interaction created %i ms before it arrives and a slow command THEN the bot defers inside Discord’s 3 s, then edits in the answer',
    async (ageMs) => {
      harness = await startHarness({ deferAfterMs: 1500 });
      const late = gate();
      harness.port.answer = () => late.promise;
      const sent = harness.fake.interact('interaction-papers-command', () => {}, { ageMs });

      const [deferral] = await harness.answers(sent.token, 1);
      expect(body(deferral)).toEqual({ type: CALLBACK.deferredMessage, data: { flags: EPHEMERAL } });
      expect(deferral?.status).toBe(204);
      late.open({ text: 'Papers tagged `MoE`: none.', private: true });
      const [, edit] = await harness.answers(sent.token, 2);
      expect(edit).toMatchObject({ method: 'PATCH', status: 200 });
    },
  );

  it('GIVEN the slash-command payload captured from Discord THEN the bot answers it (privately: it is not one of ours)', async () => {
    harness = await startHarness();
    const sent = harness.fake.interact('interaction-create-chat-input-guild', (payload) => {
      payload.data = { ...(payload.data as object), options: [{ type: 3, name: 'text', value: 'hello' }] };
    });
    const [reply] = await harness.answers(sent.token, 1);
    expect(body(reply)).toMatchObject({ type: CALLBACK.message, data: { content: 'This command is no longer offered.', flags: EPHEMERAL } });
  });

  it('GIVEN a command that answers in time THEN one callback carries the answer, ephemeral when the Reply is private', async () => {
    harness = await startHarness();
    harness.port.answer = () => ({ text: 'You follow `MoE`.', private: true });
    const sent = harness.fake.interact('interaction-dm-command');

    const [reply] = await harness.answers(sent.token, 1);
    expect(body(reply).type).toBe(CALLBACK.message);
    expect(body(reply).data).toMatchObject({ content: 'You follow `MoE`.', flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    expect(harness.port.calls[0]?.caller).toMatchObject({ channelId: '1100000000000009000', displayName: 'Ada', canAdministerChannel: false });
  });

  it('GIVEN a Reply too long for one message THEN the rest follows up with the same privacy, split between papers', async () => {
    harness = await startHarness();
    harness.port.answer = () => ({ text: '12 papers', papers: Array.from({ length: 12 }, (_, index) => samplePaper(index)), private: true });
    const sent = harness.fake.interact('interaction-papers-command');

    const [reply, followUp] = await harness.answers(sent.token, 2);
    expect(embedsOf(body(reply).data)).toHaveLength(10);
    expect(followUp).toMatchObject({ method: 'POST', path: `/webhooks/${harness.fake.applicationId}/${sent.token}` });
    expect(embedsOf(body(followUp))).toHaveLength(2);
    expect(body(followUp).flags).toBe(EPHEMERAL);
  });

  it('GIVEN a public Reply after a private deferral THEN the placeholder is settled, the answer follows up publicly, and the placeholder goes', async () => {
    harness = await startHarness({ deferAfterMs: 0 });
    const late = gate();
    harness.port.answer = () => late.promise;
    const sent = harness.fake.interact('interaction-papers-command', (payload) => {
      payload.data = { id: '1200000000000000004', name: 'digest', type: 1, options: [{ name: 'setting', type: 3, value: 'here' }] };
    });
    await harness.answers(sent.token, 1);
    late.open({ text: 'Ada set this channel to get the daily digest.', private: false });

    // A follow-up straight after the deferral would edit the private placeholder (or fail with 10008 once it is deleted).
    const [, settle, followUp, remove] = await harness.answers(sent.token, 4);
    expect(settle).toMatchObject({ method: 'PATCH', path: `/webhooks/${harness.fake.applicationId}/${sent.token}/messages/@original` });
    expect(followUp).toMatchObject({ method: 'POST', path: `/webhooks/${harness.fake.applicationId}/${sent.token}`, status: 200 });
    expect(body(followUp).flags).toBeUndefined();
    expect(body(followUp).content).toBe('Ada set this channel to get the daily digest.');
    expect(remove).toMatchObject({ method: 'DELETE', path: `/webhooks/${harness.fake.applicationId}/${sent.token}/messages/@original` });
    expect(harness.fake.rest.channels.history(harness.fake.channelId).map((message) => message.content)).toEqual([
      'Ada set this channel to get the daily digest.',
    ]);
  });

  it('GIVEN a private Reply after a public deferral THEN the answer reaches the presser privately and nothing stays in the channel', async () => {
    harness = await startHarness({ deferAfterMs: 0 });
    const key = await harness.store.save({ kind: 'share', command: 'papers', input: 'MoE' });
    const late = gate();
    harness.port.answer = () => late.promise;
    const click = harness.fake.interact('interaction-more-button', (payload) => {
      (payload.data as Record<string, unknown>).custom_id = `lp:share:${key}`;
    });
    const [deferral] = await harness.answers(click.token, 1);
    expect(body(deferral)).toMatchObject({ type: CALLBACK.deferredMessage, data: { flags: 0 } });
    late.open({ text: 'No papers match `MoE`.', private: true });

    const [, , followUp] = await harness.answers(click.token, 4);
    expect(followUp).toMatchObject({ method: 'POST', status: 200 });
    expect(body(followUp)).toMatchObject({ content: 'No papers match `MoE`.', flags: EPHEMERAL });
    expect(harness.fake.rest.channels.history(harness.fake.channelId)).toEqual([]);
  });

  it('GIVEN /subscribe autocomplete THEN the choices come from the command core, at most 25 of at most 100 characters', async () => {
    harness = await startHarness();
    harness.port.suggest = (partial) => [
      ...['MoE', 'mobile'].filter((tag) => tag.toLowerCase().startsWith(partial.toLowerCase())),
      'x'.repeat(101),
      ...Array.from({ length: 30 }, (_, index) => `Mo${index}`),
    ];
    const sent = harness.fake.interact('interaction-subscribe-autocomplete');

    const [choices] = await harness.answers(sent.token, 1);
    expect(body(choices).type).toBe(CALLBACK.autocomplete);
    const offered = (body(choices).data?.choices ?? []) as { name: string; value: string }[];
    expect(offered.slice(0, 2)).toEqual([
      { name: 'MoE', value: 'MoE' },
      { name: 'mobile', value: 'mobile' },
    ]);
    expect(offered).toHaveLength(25);
    expect(harness.port.completions[0]).toMatchObject({ name: 'subscribe', input: { text: 'Mo' } });
  });

  it('GIVEN "More results" on a private page THEN the page is replaced in place with the next one, from the stored cursor', async () => {
    harness = await startHarness();
    harness.port.answer = ({ input }) =>
      input.cursor
        ? { text: 'Papers tagged `MoE`: 9–9 (the last page).', papers: [samplePaper(9)], private: true }
        : {
            text: 'Papers tagged `MoE`: 1–8 (more below).',
            papers: [samplePaper(1)],
            private: true,
            actions: [{ kind: 'more', command: 'papers', cursor: 'c'.repeat(400) }],
          };
    const first = harness.fake.interact('interaction-papers-command');
    const [page] = await harness.answers(first.token, 1);
    // The vote menus come first, the reply's buttons last.
    const row = ((body(page).data?.components ?? []) as { components: { custom_id: string; label: string }[] }[]).at(-1);
    const more = row?.components[0];
    expect(more).toMatchObject({ label: 'More results' });
    expect(more?.custom_id.length).toBeLessThanOrEqual(100);

    const click = harness.fake.interact('interaction-more-button', (payload) => {
      (payload.data as Record<string, unknown>).custom_id = more?.custom_id;
    });
    const [update] = await harness.answers(click.token, 1);
    expect(body(update).type).toBe(CALLBACK.update);
    expect(body(update).data).toMatchObject({ content: 'Papers tagged `MoE`: 9–9 (the last page).', allowed_mentions: { parse: [] } });
    expect(embedsOf(body(update).data).map((embed) => embed.url)).toEqual(['https://arxiv.org/abs/2512.16009v1']);
    expect(harness.port.calls[1]).toMatchObject({ name: 'papers', input: { text: '', cursor: 'c'.repeat(400) } });
  });

  it('GIVEN "More results" answered late THEN a deferred update, then an edit of the message the button is on', async () => {
    harness = await startHarness({ deferAfterMs: 0 });
    const key = await harness.store.save({ kind: 'more', command: 'papers', cursor: 'next' });
    const late = gate();
    harness.port.answer = () => late.promise;
    const click = harness.fake.interact('interaction-more-button', (payload) => {
      (payload.data as Record<string, unknown>).custom_id = `lp:more:${key}`;
    });
    const [deferral] = await harness.answers(click.token, 1);
    expect(body(deferral)).toEqual({ type: CALLBACK.deferredUpdate });
    late.open({ text: 'page 2', papers: [samplePaper(2)], private: true });
    const [, edit] = await harness.answers(click.token, 2);
    expect(edit).toMatchObject({ method: 'PATCH', path: `/webhooks/${harness.fake.applicationId}/${click.token}/messages/@original` });
    expect(body(edit).content).toBe('page 2');
  });

  it('GIVEN "More results" under a page someone shared THEN the shared message stays and the next page goes to the presser only', async () => {
    harness = await startHarness();
    const key = await harness.store.save({ kind: 'more', command: 'papers', cursor: 'next' });
    harness.port.answer = () => ({ text: 'page 2', papers: [samplePaper(2)], private: true });
    const click = harness.fake.interact('interaction-more-button', (payload) => {
      (payload.data as Record<string, unknown>).custom_id = `lp:more:${key}`;
      (payload.message as Record<string, unknown>).flags = 0;
    });
    const [answer] = await harness.answers(click.token, 1);
    expect(body(answer)).toMatchObject({ type: CALLBACK.message, data: { content: 'page 2', flags: EPHEMERAL } });
  });

  it.each([
    ['subscribe button', 'lp:subscribe:MoE', { name: 'subscribe', input: { text: 'MoE' } }],
    ['share button', 'share', { name: 'papers', input: { text: 'MoE last week' } }],
  ])('GIVEN a %s THEN the command runs for the presser', async (_label, customId, expected) => {
    harness = await startHarness();
    const id = customId === 'share' ? `lp:share:${await harness.store.save({ kind: 'share', command: 'papers', input: 'MoE last week' })}` : customId;
    harness.port.answer = ({ name }) =>
      name === 'papers' ? { text: 'found', papers: [samplePaper(1)], private: true } : { text: 'Subscribed to `MoE`.', private: true };
    const click = harness.fake.interact('interaction-more-button', (payload) => {
      (payload.data as Record<string, unknown>).custom_id = id;
    });
    const [answer] = await harness.answers(click.token, 1);
    expect(harness.port.calls[0]).toMatchObject(expected);
    expect(body(answer).type).toBe(CALLBACK.message);
    // A share goes to the channel; a subscription is the presser's business.
    expect(body(answer).data?.flags).toBe(customId === 'share' ? undefined : EPHEMERAL);
  });

  it('GIVEN a button whose stored payload expired THEN the presser is told privately and no command runs', async () => {
    harness = await startHarness();
    const click = harness.fake.interact('interaction-more-button');
    const [answer] = await harness.answers(click.token, 1);
    expect(body(answer).data).toMatchObject({ content: 'This button has expired. Run the command again.', flags: EPHEMERAL });
    expect(harness.port.calls).toHaveLength(0);
  });

  it('GIVEN the command core throws THEN the person gets a generic private answer and the bug is logged with context', async () => {
    harness = await startHarness();
    harness.port.answer = () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed');
    };
    const sent = harness.fake.interact('interaction-papers-command');
    const [answer] = await harness.answers(sent.token, 1);
    expect(body(answer).data).toMatchObject({ content: expect.stringContaining('Sorry, something went wrong'), flags: EPHEMERAL });
    expect(JSON.stringify(body(answer))).not.toContain('SQLITE');
    expect(harness.logs()).toContainEqual(expect.objectContaining({ msg: 'discord command failed', command: 'papers', userId: '1100000000000001000' }));
  });

  it.each([
    ['a member without Manage Channels', {}, undefined, false],
    ['a member with Manage Channels', { permissions: '1760079849582163' }, undefined, true],
    ['a member with the configured admin role', { roles: ['1100000000000000200'] }, '1100000000000000200', true],
    ['a member with some other role', { roles: ['1100000000000000300'] }, '1100000000000000200', false],
  ])('GIVEN %s THEN canAdministerChannel says so', async (_label, memberChange, adminRoleId, expected) => {
    harness = await startHarness({ adminRoleId });
    const sent = harness.fake.interact('interaction-papers-command', (payload) => {
      Object.assign(payload.member as Record<string, unknown>, memberChange);
    });
    await harness.answers(sent.token, 1);
    expect(harness.port.calls[0]?.caller.canAdministerChannel).toBe(expected);
  });

  it('GIVEN paper text that tries to ping, mention a role or mask a link THEN the payload disables pings and the text is escaped', async () => {
    harness = await startHarness();
    const hostile = samplePaper(1, {
      title: '@everyone <@&1100000000000000200> **Free GPUs** [click](https://evil.example)',
      tldr: '@here <@1100000000000001000> ||spoiler|| `code` # heading',
      authors: ['<@1100000000000002000>', '@everyone'],
    });
    harness.port.answer = () => ({ text: 'You searched for @everyone <#1100000000000000011>', papers: [hostile], private: false });
    const sent = harness.fake.interact('interaction-papers-command');
    const [answer] = await harness.answers(sent.token, 1);
    const data = body(answer).data ?? {};
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.content).toBe('You searched for @everyone \\<#1100000000000000011>');
    const [embed] = embedsOf(data);
    expect(embed?.title).toBe('@everyone \\<@&1100000000000000200> \\*\\*Free GPUs\\*\\* \\[click\\](https://evil.example)');
    expect(embed?.description).toBe('@here \\<@1100000000000001000> \\|\\|spoiler\\|\\| \\`code\\` # heading');
    // Select option labels are plain text (Discord renders no markdown or mention in them), so the title stands there as written.
    const { components: _menus, ...message } = data as Record<string, unknown>;
    expect(JSON.stringify(message)).not.toMatch(/(?<!\\)<@/);
  });
});
