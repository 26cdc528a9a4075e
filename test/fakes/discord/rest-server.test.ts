import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discordFixture, FakeDiscord } from './fake-discord.ts';

type Answer = { status: number; body: Record<string, unknown> & Record<string, unknown>[] };

/**
 * The fake refuses what Discord refuses, with Discord's answers: each case here is a rule of the
 * docs or a recorded error (test/fixtures/discord/README.md), checked over plain HTTP.
 */
describe('fake Discord REST API', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  async function call(method: string, path: string, body?: unknown, token: string | null = fake.token): Promise<Answer> {
    const response = await fetch(`${fake.apiUrl}/v10${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bot ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const post = (body: unknown, channel = fake.channelId) => call('POST', `/channels/${channel}/messages`, body);
  const formError = (errors: unknown) => ({ status: 400, body: { code: 50035, errors, message: 'Invalid Form Body' } });

  it.each([
    ['no token', null],
    ['a wrong token', 'not-the-bot-token'],
  ])('GIVEN %s THEN every bot route answers 401 and nothing is posted', async (_label, token) => {
    for (const [method, path] of [
      ['GET', '/gateway/bot'],
      ['POST', `/channels/${fake.channelId}/messages`],
      ['POST', '/users/@me/channels'],
      ['PUT', `/applications/${fake.applicationId}/commands`],
    ] as const) {
      expect(await call(method, path, method === 'GET' ? undefined : { content: 'hi', recipient_id: '1100000000000001000' }, token)).toEqual({
        status: 401,
        body: { message: '401: Unauthorized', code: 0 },
      });
    }
    expect(fake.rest.channels.history(fake.channelId)).toEqual([]);
  });

  it('GIVEN the bot token THEN /gateway/bot answers in the documented shape with the fake gateway URL', async () => {
    const answer = await call('GET', '/gateway/bot');
    expect(Object.keys(answer.body).sort()).toEqual(Object.keys(discordFixture('gateway-bot')).sort());
    expect(answer.body.url).toBe(fake.gateway.url);
  });

  it('GIVEN the composed interaction fixture THEN it has the fields of the one captured from Discord', () => {
    const captured = Object.keys(discordFixture('interaction-create-chat-input-guild')).filter((key) => key !== 'entitlement_sku_ids');
    expect(Object.keys(discordFixture('interaction-papers-command')).sort()).toEqual(captured.sort());
  });

  it('GIVEN a channel Discord does not know THEN posting and reading answer 404 Unknown Channel', async () => {
    const unknown = { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    expect(await post({ content: 'hi' }, '1100000000000099999')).toEqual(unknown);
    expect(await call('GET', '/channels/1100000000000099999/messages')).toEqual(unknown);
  });

  it('GIVEN components THEN a select must be alone in its row, a row holds five buttons, custom ids are unique, a select has 1–25 options of ≤ 100 characters', async () => {
    const button = (id: string) => ({ type: 2, style: 2, label: id, custom_id: id });
    const option = (value: string, label = value) => ({ label, value });
    const select = (options: unknown[], extra: Record<string, unknown> = {}) => ({ type: 3, custom_id: 'menu', options, ...extra });
    const row = (...components: unknown[]) => ({ type: 1, components });
    const error = (path: (string | number)[], code: string, message: string) => {
      let tree: Record<string, unknown> = { _errors: [{ code, message }] };
      for (const key of [...path].reverse()) tree = { [String(key)]: tree };
      return formError(tree);
    };
    expect(await post({ components: [row(select([option('a')]), button('b'))] })).toEqual(
      error(['components', 0, 'components', 1], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width'),
    );
    expect(await post({ components: [row(...['a', 'b', 'c', 'd', 'e', 'f'].map(button))] })).toEqual(
      error(['components', 0, 'components', 5], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width'),
    );
    expect(await post({ components: [row(button('a')), row(button('a'))] })).toEqual(
      error(['components', 1, 'components', 0, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated'),
    );
    expect((await post({ components: [row(select([]))] })).status).toBe(400);
    expect((await post({ components: [row(select(Array.from({ length: 26 }, (_, index) => option(`v${index}`))))] })).status).toBe(400);
    expect((await post({ components: [row(select([option('v', 'x'.repeat(101))]))] })).status).toBe(400);
    expect((await post({ components: [row(select([option('v'), option('v')]))] })).status).toBe(400);
    expect((await post({ components: [row(select([option('v')], { max_values: 2 }))] })).status).toBe(400);
    expect((await post({ components: [row(select([option('v'), option('w')], { max_values: 2 })), row(button('b'))] })).status).toBe(200);
  });

  it('GIVEN a message id THEN GET answers the message, or 10008 Unknown Message', async () => {
    const created = await post({ content: 'hello' });
    expect(await call('GET', `/channels/${fake.channelId}/messages/${String(created.body.id)}`)).toMatchObject({
      status: 200,
      body: { id: created.body.id, content: 'hello' },
    });
    expect(await call('GET', `/channels/${fake.channelId}/messages/1300000000000099999`)).toEqual({
      status: 404,
      body: { message: 'Unknown Message', code: 10008 },
    });
  });

  it('GIVEN 11 embeds THEN the answer is the recorded Invalid Form Body', async () => {
    const embeds = Array.from({ length: 11 }, (_, index) => ({ title: `paper ${index}` }));
    expect(await post({ embeds })).toEqual({ status: 400, body: discordFixture('error-invalid-form-body-embeds-over-10') });
  });

  it.each([
    [
      'content over 2,000',
      { content: 'x'.repeat(2001) },
      { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
    ],
    [
      'a title over 256',
      { embeds: [{ title: 't'.repeat(257) }] },
      { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }] } } } },
    ],
    [
      'a description over 4,096',
      { embeds: [{ title: 'a', description: 'd'.repeat(4097) }] },
      { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' }] } } } },
    ],
    [
      'embeds over 6,000 characters together',
      { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] },
      { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }] } },
    ],
    [
      'a nonce over 25',
      { content: 'hi', nonce: 'n'.repeat(26) },
      { nonce: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }] } },
    ],
  ])('GIVEN %s THEN 400 Invalid Form Body names the field, and nothing is posted', async (_label, body, errors) => {
    expect(await post(body)).toEqual(formError(errors));
    expect(fake.rest.channels.history(fake.channelId)).toEqual([]);
  });

  it.each([
    ['no content', {}],
    ['blank content', { content: '  \n ' }],
    ['empty embeds', { content: '', embeds: [] }],
  ])('GIVEN %s THEN 50006 Cannot send an empty message', async (_label, body) => {
    expect(await post(body)).toEqual({ status: 400, body: { message: 'Cannot send an empty message', code: 50006 } });
  });

  it('GIVEN a post THEN the message comes back in the recorded shape, and channel history lists it newest first without its nonce', async () => {
    const first = await post({ content: 'first', nonce: 'n1', enforce_nonce: true });
    await post({ content: 'second' });
    const recorded = discordFixture('message-deferred-component-reply');
    for (const key of ['id', 'channel_id', 'author', 'content', 'embeds', 'components', 'timestamp', 'edited_timestamp', 'flags', 'type']) {
      expect(first.body).toHaveProperty(key);
      expect(recorded).toHaveProperty(key);
    }
    expect(first.body).toMatchObject({ content: 'first', nonce: 'n1', author: { id: fake.bot.id, bot: true } });

    const history = await call('GET', `/channels/${fake.channelId}/messages?limit=100`);
    expect(history.body.map((message) => message.content)).toEqual(['second', 'first']);
    expect(history.body[1]).not.toHaveProperty('nonce');
    const after = await call('GET', `/channels/${fake.channelId}/messages?after=${String(first.body.id)}`);
    expect(after.body.map((message) => message.content)).toEqual(['second']);
    expect((await call('GET', `/channels/${fake.channelId}/messages?limit=101`)).status).toBe(400);
    expect((await call('GET', `/channels/${fake.channelId}/messages?before=1&after=2`)).status).toBe(400);
  });

  it('GIVEN the same nonce with enforce_nonce THEN the first message comes back within the window, and a new one is made after it', async () => {
    const body = { content: 'digest', nonce: 'same', enforce_nonce: true };
    const first = await post(body);
    expect((await post(body)).body.id).toBe(first.body.id);
    fake.rest.advance(6 * 60_000);
    expect((await post(body)).body.id).not.toBe(first.body.id);
    expect(fake.rest.channels.history(fake.channelId)).toHaveLength(2);
  });

  it('GIVEN /users/@me/channels without recipient_id THEN 400; with one THEN the same DM channel every time', async () => {
    expect(await call('POST', '/users/@me/channels', {})).toEqual(
      formError({ recipient_id: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } }),
    );
    const dm = await call('POST', '/users/@me/channels', { recipient_id: '1100000000000001000' });
    expect(dm.body).toMatchObject({ type: 1, recipients: [{ id: '1100000000000001000' }] });
    expect((await call('POST', '/users/@me/channels', { recipient_id: '1100000000000001000' })).body.id).toBe(dm.body.id);
  });

  describe('interaction callbacks and webhooks', () => {
    const callback = (sent: Record<string, unknown>, body: unknown, query = '') =>
      call('POST', `/interactions/${String(sent.id)}/${String(sent.token)}/callback${query}`, body, null);
    const webhook = (sent: Record<string, unknown>, method: string, suffix = '', body?: unknown) =>
      call(method, `/webhooks/${fake.applicationId}/${String(sent.token)}${suffix}`, body, null);
    const unknownInteraction = { status: 404, body: { message: 'Unknown interaction', code: 10062 } };

    it('GIVEN an answer THEN 204; a second answer THEN 40060 already acknowledged', async () => {
      const sent = fake.interact('interaction-papers-command');
      expect(await callback(sent, discordFixture('interaction-callback-channel-message'))).toEqual({ status: 204, body: undefined });
      expect(await callback(sent, discordFixture('interaction-callback-deferred-ephemeral'))).toEqual({
        status: 400,
        body: { message: 'Interaction has already been acknowledged.', code: 40060 },
      });
    });

    it('GIVEN an unknown interaction, a wrong token or an answer after 3 s THEN 10062 Unknown interaction', async () => {
      const sent = fake.interact('interaction-papers-command');
      expect(await callback({ ...sent, id: '1300000000000000999' }, { type: 4, data: { content: 'hi' } })).toEqual(unknownInteraction);
      expect(await callback({ ...sent, token: 'wrong' }, { type: 4, data: { content: 'hi' } })).toEqual(unknownInteraction);
      const late = fake.interact('interaction-papers-command', () => {}, { ageMs: 3100 });
      expect(await callback(late, { type: 5, data: { flags: 64 } })).toEqual(unknownInteraction);
    });

    it.each([
      ['a message update for a slash command', 'interaction-papers-command', 7],
      ['autocomplete choices for a slash command', 'interaction-papers-command', 8],
      ['a message for an autocomplete', 'interaction-subscribe-autocomplete', 4],
    ])('GIVEN %s THEN 400, and the interaction stays unanswered', async (_label, fixture, type) => {
      const sent = fake.interact(fixture);
      const answer = await callback(sent, { type, data: type === 8 ? { choices: [] } : { content: 'hi' } });
      expect(answer).toMatchObject({ status: 400, body: { code: 50035, errors: { type: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } } });
    });

    it('GIVEN with_response=true THEN 200 with the interaction callback object and the message', async () => {
      const sent = fake.interact('interaction-papers-command');
      const answer = await callback(sent, { type: 4, data: { content: 'hi', flags: 64 } }, '?with_response=true');
      expect(answer).toMatchObject({
        status: 200,
        body: {
          interaction: { id: sent.id, type: 2, response_message_loading: false, response_message_ephemeral: true },
          resource: { type: 4, message: { content: 'hi', flags: 64 } },
        },
      });
    });

    it('GIVEN @original before any answer THEN 10015 Unknown Webhook', async () => {
      const sent = fake.interact('interaction-papers-command');
      const unknownWebhook = { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
      expect(await webhook(sent, 'PATCH', '/messages/@original', { content: 'hi' })).toEqual(unknownWebhook);
      expect(await webhook(sent, 'POST', '', { content: 'hi' })).toEqual(unknownWebhook);
    });

    it('GIVEN a deferral deleted before the answer THEN the follow-up fails as recorded (it would have edited the placeholder)', async () => {
      const sent = fake.interact('interaction-papers-command');
      await callback(sent, { type: 5, data: { flags: 64 } });
      expect((await webhook(sent, 'DELETE', '/messages/@original')).status).toBe(204);
      expect(await webhook(sent, 'POST', '', { content: 'answer' })).toEqual({
        status: 404,
        body: discordFixture('error-unknown-message-after-deleted-deferral'),
      });
    });

    it('GIVEN a deferral THEN the first follow-up edits the placeholder keeping its privacy; after an edit, follow-ups are new messages', async () => {
      const sent = fake.interact('interaction-papers-command');
      await callback(sent, { type: 5, data: {} });
      const edited = await webhook(sent, 'POST', '', { content: 'answer', flags: 64 });
      expect(edited.body).toMatchObject({ content: 'answer', flags: 0 });
      const followUp = await webhook(sent, 'POST', '', { content: 'more', flags: 64 });
      expect(followUp.body.id).not.toBe(edited.body.id);
      expect(fake.rest.channels.history(fake.channelId).map((message) => message.content)).toEqual(['answer']);
    });

    it('GIVEN a token older than 15 minutes THEN its webhook answers 50027 Invalid Webhook Token', async () => {
      const sent = fake.interact('interaction-papers-command');
      await callback(sent, { type: 5, data: {} });
      fake.rest.advance(15 * 60_000 + 1);
      expect(await webhook(sent, 'PATCH', '/messages/@original', { content: 'late' })).toEqual({
        status: 401,
        body: { message: 'Invalid Webhook Token', code: 50027 },
      });
    });
  });

  describe('command registration', () => {
    const register = (commands: unknown, guild = false) =>
      call('PUT', guild ? `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands` : `/applications/${fake.applicationId}/commands`, commands);
    const command = (change: Record<string, unknown> = {}) => ({ ...discordFixture('application-command-chat-input'), ...change });

    it("GIVEN the docs' example command THEN it is registered with an id and the application's", async () => {
      const answer = await register([command()]);
      expect(answer.status).toBe(200);
      expect(answer.body[0]).toMatchObject({ name: 'blep', application_id: fake.applicationId, type: 1 });
    });

    it.each([
      ['an uppercase name', { name: 'Blep' }, ['0', 'name']],
      ['a name with a space', { name: 'blep now' }, ['0', 'name']],
      ['a name over 32', { name: 'b'.repeat(33) }, ['0', 'name']],
      ['an empty description', { description: '' }, ['0', 'description']],
      ['a description over 100', { description: 'd'.repeat(101) }, ['0', 'description']],
      ['an optional option before a required one', { options: [...((command().options as unknown[]) ?? [])].reverse() }, ['0', 'options']],
    ])('GIVEN %s THEN 400 Invalid Form Body at that field', async (_label, change, path) => {
      const answer = await register([command(change)]);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 50035 });
      let node: unknown = answer.body.errors;
      for (const key of path) node = (node as Record<string, unknown>)[key];
      expect(node).toHaveProperty('_errors');
    });

    it('GIVEN a command over 8,000 characters THEN the recorded error', async () => {
      const options = Array.from({ length: 25 }, (_, index) => ({
        name: `o${index}`,
        description: 'd'.repeat(100),
        type: 3,
        choices: [{ name: 'c', value: 'v'.repeat(300) }],
      }));
      expect(await register([command({ options })])).toEqual({ status: 400, body: discordFixture('error-invalid-form-body-command-too-large') });
    });

    it('GIVEN contexts or integration_types THEN a global command takes them and a guild command is refused', async () => {
      const scoped = command({ contexts: [0, 1], integration_types: [0] });
      expect((await register([scoped])).status).toBe(200);
      const guild = await register([scoped], true);
      expect(guild).toMatchObject({ status: 400, body: { code: 50035, errors: { 0: { contexts: {} } } } });
    });
  });
});
