import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { reactionEvent } from '../../fakes/slack-events.ts';
import { readSlackManifest } from '../../fakes/slack-manifest.ts';
import { FakeSlackSocket } from '../../fakes/slack-socket.ts';

const webapi = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/slack/webapi/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/**
 * The fakes answer as Slack does where Slack refuses: these are the deviations the issue found in
 * the old, kinder fakes. Driven over raw HTTP and WebSocket, so nothing of ours is in between.
 */
describe('the fake Slack refuses what Slack refuses', () => {
  let api: FakeSlackApi;

  async function call(method: string, params: Record<string, string> = {}, token: string | null = 'xoxb-test') {
    const response = await fetch(`${api.apiUrl}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  beforeEach(async () => {
    api = await FakeSlackApi.start();
  });
  afterEach(async () => {
    await api.close();
  });

  it('GIVEN no token or an unknown one THEN not_authed and invalid_auth, as auth.test documents', async () => {
    expect((await call('auth.test', {}, null)).body).toEqual(webapi('error-not_authed.json'));
    expect((await call('auth.test', {}, 'xoxb-nope')).body).toEqual(webapi('error-invalid_auth.json'));
    expect((await call('auth.test')).body).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'BBOT' });
  });

  it('GIVEN a bot token on apps.connections.open, or the app token elsewhere THEN not_allowed_token_type', async () => {
    expect((await call('apps.connections.open', {}, 'xoxb-test')).body).toEqual(
      JSON.parse(readFileSync(new URL('../../fixtures/slack/socket/apps.connections.open-bot-token.json', import.meta.url), 'utf8')),
    );
    expect((await call('chat.postMessage', { channel: 'C1', text: 'hi' }, 'xapp-test')).body).toMatchObject({ error: 'not_allowed_token_type' });
  });

  it('GIVEN conversations.open THEN 1–8 known, active people; none is users_list_not_supplied, 9 too many, a deactivated one user_disabled', async () => {
    const people = Array.from({ length: 9 }, (_, index) => `U${index + 1}`);
    api.addUsers(...people);
    api.deactivate('U9');
    expect((await call('conversations.open', {})).body).toMatchObject({ ok: false, error: 'users_list_not_supplied' });
    expect((await call('conversations.open', { users: people.join(',') })).body).toMatchObject({ ok: false, error: 'too_many_users' });
    expect((await call('conversations.open', { users: 'U9' })).body).toEqual(webapi('conversations.open-user_disabled.json'));
    expect((await call('conversations.open', { users: 'U404' })).body).toMatchObject({ ok: false, error: 'user_not_found' });
    expect((await call('conversations.open', { users: 'U1' })).body).toEqual({ ok: true, channel: { id: 'D1' } });
    expect((await call('conversations.open', { users: people.slice(0, 8).join(',') })).body).toMatchObject({ ok: true, channel: { id: expect.any(String) } });
  });

  it('GIVEN chat.postMessage THEN no text is no_text, 51 blocks and a 3,001-character section are invalid_blocks with Slack’s pointers', async () => {
    expect((await call('chat.postMessage', { channel: 'C1' })).body).toMatchObject({ ok: false, error: 'no_text' });
    const tooMany = await call('chat.postMessage', { channel: 'C1', text: 'x', blocks: JSON.stringify(Array.from({ length: 51 }, () => section('a'))) });
    expect(tooMany.body).toMatchObject({ ok: false, error: 'invalid_blocks', errors: ['no more than 50 items allowed [json-pointer:/blocks]'] });
    const tooLong = await call('chat.postMessage', { channel: 'C1', text: 'x', blocks: JSON.stringify([section('a'.repeat(3001))]) });
    expect(tooLong.body).toEqual(webapi('error-invalid_blocks.json'));
    expect((await call('chat.postMessage', { channel: 'C1', text: 'x', blocks: JSON.stringify([section('a'.repeat(3000))]) })).body.ok).toBe(true);
  });

  it('GIVEN the app posts past its limit THEN chat.postMessage answers HTTP 200 rate_limited, beside the 429 ratelimited per channel', async () => {
    api.appPostLimit = { posts: 1, windowMs: 60_000 };
    expect((await call('chat.postMessage', { channel: 'C1', text: 'one' })).body.ok).toBe(true);
    expect(await call('chat.postMessage', { channel: 'C2', text: 'two' })).toEqual({ status: 200, body: webapi('error-rate_limited-http200.json') });
    api.appPostLimit = null;
    api.perChannelIntervalMs = 60_000;
    await call('chat.postMessage', { channel: 'C3', text: 'three' });
    expect(await call('chat.postMessage', { channel: 'C3', text: 'four' })).toEqual({ status: 429, body: { ok: false, error: 'ratelimited' } });
  });

  it('GIVEN users.info THEN the real shape: role flags false unless set, a profile, a time zone', async () => {
    api.users.set('U1', { id: 'U1', display_name: 'ada' });
    const { body } = await call('users.info', { user: 'U1' });
    expect(body.user).toMatchObject({ id: 'U1', is_admin: false, is_owner: false, is_primary_owner: false, deleted: false, tz: expect.any(String) });
    expect(body.user).toMatchObject({ profile: { display_name: 'ada', real_name: expect.any(String) } });
    expect((await call('users.info', { user: 'U404' })).body).toEqual(webapi('users.info-user_not_found.json'));
  });

  it('GIVEN a response_url THEN 5 posts are taken, the 6th is refused, and none after 30 minutes', async () => {
    const post = (id: string) =>
      fetch(api.responseUrl(id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    for (let use = 1; use <= 5; use++) expect((await post('r1')).status).toBe(200);
    expect((await post('r1')).status).toBe(404);
    let now = Date.now();
    api.now = () => now;
    api.responseUrl('r2');
    now += 30 * 60_000 + 1;
    const late = await post('r2');
    expect([late.status, await late.text()]).toEqual([404, 'expired_url']);
    expect(api.responses).toHaveLength(5);
  });

  it.each(['{"text": "hi"', '[]', '"hi"'])(
    'GIVEN a response_url post whose body is not a JSON object (%s) THEN 400 invalid_payload, not a crash of the fake',
    async (body) => {
      const answer = await fetch(api.responseUrl('r3'), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect([answer.status, await answer.text()]).toEqual([400, 'invalid_payload']);
      expect(api.responses).toHaveLength(0);
    },
  );

  it('GIVEN conversations.history THEN it needs the history scope, knows only real channels, and shows metadata only with include_all_metadata', async () => {
    api.addUsers('U1');
    await call('conversations.open', { users: 'U1' });
    const metadata = { event_type: 'lmsys_delivery', event_payload: { key: 'alert:slack:U1:2025-12-18' } };
    await call('chat.postMessage', { channel: 'D1', text: 'alert', metadata: JSON.stringify(metadata) });
    const plain = await call('conversations.history', { channel: 'D1' });
    expect(plain.body).toMatchObject({ ok: true, has_more: false, messages: [{ type: 'message', text: 'alert', bot_id: 'BBOT' }] });
    expect((plain.body.messages as Record<string, unknown>[])[0]?.metadata).toBeUndefined();
    expect((await call('conversations.history', { channel: 'D1', include_all_metadata: 'true' })).body).toMatchObject({ messages: [{ metadata }] });
    expect((await call('conversations.history', { channel: 'D2' })).body).toEqual(webapi('error-channel_not_found.json'));
    api.scopes.delete('im:history');
    expect((await call('conversations.history', { channel: 'D1' })).body).toMatchObject({ ok: false, error: 'missing_scope', needed: 'im:history' });
  });

  it('GIVEN a section with an overflow menu THEN 2–5 options of ≤ 75-character labels and ≤ 150-character values pass, anything else is invalid_blocks', async () => {
    const option = (text: string, value: string) => ({ text: { type: 'plain_text', text }, value });
    const menu = (options: unknown[]) => [{ ...section('a paper'), accessory: { type: 'overflow', action_id: 'paper_menu', options } }];
    const post = (blocks: unknown[]) => call('chat.postMessage', { channel: 'C1', text: 'x', blocks: JSON.stringify(blocks) });
    expect((await post(menu([option('👍 Relevant', 'v1|relevant'), option('👎 Not relevant', 'v1|not')]))).body.ok).toBe(true);
    expect((await post(menu([option('only one', 'v')]))).body).toMatchObject({
      error: 'invalid_blocks',
      errors: ['must provide at least 2 items [json-pointer:/blocks/0/accessory/options]'],
    });
    const six = Array.from({ length: 6 }, (_, index) => option(`o${index}`, `v${index}`));
    expect((await post(menu(six))).body).toMatchObject({ errors: ['no more than 5 items allowed [json-pointer:/blocks/0/accessory/options]'] });
    expect((await post(menu([option('a', 'v'.repeat(151)), option('b', 'v')]))).body).toMatchObject({
      errors: ['must be less than 151 characters [json-pointer:/blocks/0/accessory/options/0/value]'],
    });
    expect((await post(menu([option('a'.repeat(76), 'v'), option('b', 'v')]))).body.error).toBe('invalid_blocks');
    expect((await post([{ ...section('x'), accessory: { type: 'weird' } }])).body.error).toBe('invalid_blocks');
  });

  it('GIVEN conversations.replies with the ts of a reply THEN the whole thread comes back, parent first, as Slack’s docs say', async () => {
    const parent = await call('chat.postMessage', { channel: 'C1', text: 'header' });
    const ts = String(parent.body.ts);
    await call('chat.postMessage', { channel: 'C1', text: 'one', thread_ts: ts });
    const two = await call('chat.postMessage', { channel: 'C1', text: 'two', thread_ts: ts });
    const thread = await call('conversations.replies', { channel: 'C1', ts: String(two.body.ts) });
    expect((thread.body.messages as { text: string }[]).map((message) => message.text)).toEqual(['header', 'one', 'two']);
    expect((await call('conversations.replies', { channel: 'C1', ts: '1.000001' })).body).toMatchObject({ ok: false, error: 'thread_not_found' });
  });

  it('GIVEN chat.postEphemeral THEN it needs a person and valid blocks, and is recorded apart from the channel’s messages', async () => {
    expect((await call('chat.postEphemeral', { channel: 'C1', text: 'hi' })).body).toMatchObject({ ok: false, error: 'user_not_found' });
    expect((await call('chat.postEphemeral', { channel: 'C1', user: 'U1', blocks: JSON.stringify([section('a'.repeat(3001))]) })).body.error).toBe(
      'invalid_blocks',
    );
    expect((await call('chat.postEphemeral', { channel: 'C1', user: 'U1', text: 'only you' })).body.ok).toBe(true);
    expect(api.ephemerals.map((ephemeral) => ephemeral.params.text)).toEqual(['only you']);
    expect(api.messagesIn('C1')).toEqual([]);
  });

  it('GIVEN a long history THEN it pages newest first with next_cursor, as Slack does', async () => {
    for (let index = 0; index < 5; index++) await call('chat.postMessage', { channel: 'C1', text: `m${index}` });
    const first = await call('conversations.history', { channel: 'C1', limit: '2' });
    expect((first.body.messages as { text: string }[]).map((message) => message.text)).toEqual(['m4', 'm3']);
    const cursor = (first.body.response_metadata as { next_cursor: string }).next_cursor;
    const second = await call('conversations.history', { channel: 'C1', limit: '2', cursor });
    expect((second.body.messages as { text: string }[]).map((message) => message.text)).toEqual(['m2', 'm1']);
  });
});

describe('the fake Socket Mode endpoint behaves as Slack’s', () => {
  let socket: FakeSlackSocket;
  beforeEach(async () => {
    socket = await FakeSlackSocket.start({ pingIntervalMs: 20, closeAfterDisconnectMs: 50 });
  });
  afterEach(async () => {
    await socket.close();
  });

  /** Connects like the SDK, keeping every message from the first on. */
  async function connect(url: string): Promise<{ ws: WebSocket; first: Record<string, unknown>; messages: Record<string, unknown>[] }> {
    const ws = new WebSocket(url);
    const messages: Record<string, unknown>[] = [];
    const first = new Promise<Record<string, unknown>>((resolve) =>
      ws.on('message', (data) => {
        messages.push(JSON.parse(String(data)) as Record<string, unknown>);
        resolve(messages[0] as Record<string, unknown>);
      }),
    );
    return { ws, first: await first, messages };
  }

  it('GIVEN every new connection THEN hello comes first (reconnects too), a ticket works once, and pings follow', async () => {
    const url = socket.issueUrl();
    const one = await connect(url);
    expect(one.first).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } });
    await once(one.ws, 'ping');
    const reused = new WebSocket(url);
    const [error] = (await once(reused, 'error')) as [Error];
    expect(error.message).toContain('401');
    const two = await connect(socket.issueUrl());
    expect(two.first).toMatchObject({ type: 'hello', num_connections: 2 });
    one.ws.close();
    two.ws.close();
  });

  it('GIVEN a recycle THEN the disconnect message names the reason and the connection is closed if the app does not', async () => {
    const { ws } = await connect(socket.issueUrl());
    const message = once(ws, 'message');
    socket.disconnect('refresh_requested');
    expect(JSON.parse(String((await message)[0]))).toEqual({ type: 'disconnect', reason: 'refresh_requested' });
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(1001);
  });

  it('GIVEN an eleventh connection THEN it is told too_many_websockets', async () => {
    const open: WebSocket[] = [];
    for (let index = 0; index < 10; index++) open.push((await connect(socket.issueUrl())).ws);
    const { ws, messages } = await connect(socket.issueUrl());
    await once(ws, 'close');
    expect(messages.map((message) => message.type)).toEqual(['hello', 'disconnect']);
    expect(messages[1]).toMatchObject({ reason: 'too_many_websockets', num_connections: 11 });
    for (const each of [...open, ws]) each.close();
  });

  it('GIVEN a button envelope THEN accepts_response_payload is false; a slash command’s is true', async () => {
    const { ws } = await connect(socket.issueUrl());
    const envelopes: Record<string, unknown>[] = [];
    ws.on('message', (data) => {
      const envelope = JSON.parse(String(data)) as Record<string, unknown>;
      envelopes.push(envelope);
      ws.send(JSON.stringify({ envelope_id: envelope.envelope_id }));
    });
    await socket.deliver('interactive', { type: 'block_actions' });
    await socket.deliver('slash_commands', { command: '/papers' });
    expect(envelopes.map((envelope) => [envelope.type, envelope.accepts_response_payload])).toEqual([
      ['interactive', false],
      ['slash_commands', true],
    ]);
    ws.close();
  });

  it('GIVEN a reaction THEN it arrives as an events_api envelope only while the manifest subscribes to it and grants reactions:read', async () => {
    const { ws } = await connect(socket.issueUrl());
    const envelopes: Record<string, unknown>[] = [];
    ws.on('message', (data) => {
      const envelope = JSON.parse(String(data)) as Record<string, unknown>;
      envelopes.push(envelope);
      ws.send(JSON.stringify({ envelope_id: envelope.envelope_id }));
    });
    const event = reactionEvent({ type: 'reaction_added', user: 'U1', reaction: '+1', channel: 'C1', ts: '1766000000.000100' });
    const manifest = readSlackManifest();
    expect(await socket.deliverEvent(event, { ...manifest, botEvents: ['reaction_removed'] })).toBeNull();
    expect(await socket.deliverEvent(event, { ...manifest, scopes: manifest.scopes.filter((scope) => scope !== 'reactions:read') })).toBeNull();
    expect(socket.withheldEvents).toEqual(['the app does not subscribe to reaction_added', 'reaction_added needs the reactions:read scope']);
    expect(envelopes).toEqual([]);

    expect(await socket.deliverEvent(event)).toMatchObject({ envelope_id: expect.any(String) });
    expect(envelopes).toEqual([
      expect.objectContaining({
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: 0,
        payload: expect.objectContaining({ type: 'event_callback', event, authorizations: [expect.objectContaining({ user_id: 'UBOT', is_bot: true })] }),
      }),
    ]);
    ws.close();
  });
});
