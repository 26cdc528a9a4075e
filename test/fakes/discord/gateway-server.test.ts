import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { discordFixture, FakeDiscord } from './fake-discord.ts';
import { CLOSE, PRIVILEGED_INTENTS } from './gateway-server.ts';

type Frame = { op: number; d: Record<string, unknown> & unknown; s?: number | null; t?: string | null };

/** A bare gateway client: every frame it receives in order, and how the server closed it. */
class Client {
  readonly frames: Frame[] = [];
  readonly closed: Promise<number>;
  readonly #socket: WebSocket;
  #waiting: (() => void) | null = null;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      this.#waiting?.();
    });
    this.closed = once(socket, 'close').then(([code]) => code as number);
  }

  static async open(url: string): Promise<Client> {
    const client = new Client(new WebSocket(`${url}?v=10&encoding=json`));
    await client.next((frame) => frame.op === 10);
    return client;
  }

  send(frame: unknown): void {
    this.#socket.send(JSON.stringify(frame));
  }

  close(code: number): Promise<number> {
    this.#socket.close(code);
    return this.closed;
  }

  /** The first frame (seen or coming) that matches. */
  async next(matches: (frame: Frame) => boolean): Promise<Frame> {
    for (;;) {
      const found = this.frames.find(matches);
      if (found) return found;
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
      });
    }
  }
}

/** The gateway refuses what Discord's refuses, with its close codes and opcodes (docs gateway.mdx, opcodes-and-status-codes.mdx). */
describe('fake Discord gateway', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  const open = (url = fake.gateway.url) => Client.open(url);
  const serverCloses = (client: Client, code: number) => {
    fake.gateway.disconnect(code);
    return client.closed;
  };
  const identify = (change: Record<string, unknown> = {}) => {
    const recorded = discordFixture('gateway-identify-discordjs-14.28');
    return { ...recorded, d: { ...(recorded.d as object), token: fake.token, ...change } };
  };
  const ready = async () => {
    const client = await open();
    client.send(identify());
    const frame = await client.next((candidate) => candidate.t === 'READY');
    return { client, ready: frame.d as { session_id: string; resume_gateway_url: string } };
  };

  it("GIVEN a connection THEN HELLO comes as Discord sends it; GIVEN discord.js's IDENTIFY THEN READY names a resume URL on another address", async () => {
    const client = await open();
    expect(Object.keys(client.frames[0] ?? {}).sort()).toEqual(Object.keys(discordFixture('gateway-hello')).sort());
    client.send(identify());
    const { d } = await client.next((frame) => frame.t === 'READY');
    expect(d).toMatchObject({ v: 10, session_id: 'fake-session-1', user: { id: fake.bot.id, bot: true }, application: { id: fake.applicationId } });
    expect(d.resume_gateway_url).toBe(fake.gateway.resumeUrl);
    expect(fake.gateway.resumeUrl).not.toBe(fake.gateway.url);
    await client.next((frame) => frame.t === 'GUILD_CREATE');
  });

  it('GIVEN reactions THEN they reach a session only when its IDENTIFY asked for the reactions intent of that place (server or DM)', async () => {
    const guildsOnly = await open();
    guildsOnly.send(identify({ intents: 1 }));
    await guildsOnly.next((frame) => frame.t === 'GUILD_CREATE');
    const reaction = { userId: '1100000000000001000', channelId: fake.channelId, messageId: '1300000000000000200', emoji: '👍' };
    expect(fake.react('add', reaction)).toBe(false);
    expect(fake.gateway.withheld).toEqual(['MESSAGE_REACTION_ADD needs intent 1024']);
    guildsOnly.close(1000);

    const withReactions = await open();
    withReactions.send(identify({ intents: 1 | (1 << 10) }));
    await withReactions.next((frame) => frame.t === 'GUILD_CREATE');
    expect(fake.react('add', { ...reaction, inGuild: false })).toBe(false);
    expect(fake.react('add', reaction)).toBe(true);
    expect(fake.react('remove', reaction)).toBe(true);
    const added = await withReactions.next((frame) => frame.t === 'MESSAGE_REACTION_ADD');
    expect(Object.keys(added.d).sort()).toEqual(Object.keys(discordFixture('gateway-message-reaction-add')).sort());
    expect(added.d).toMatchObject({ user_id: reaction.userId, message_id: reaction.messageId, emoji: { name: '👍', id: null }, guild_id: fake.guildId });
    await withReactions.next((frame) => frame.t === 'MESSAGE_REACTION_REMOVE');
  });

  it.each([
    ['a wrong token', { token: 'not-the-bot-token' }, CLOSE.authenticationFailed],
    ['intents that are not a number', { intents: 'GUILDS' }, CLOSE.invalidIntents],
    ['an intent bit Discord does not have', { intents: 1 << 30 }, CLOSE.invalidIntents],
    ['the privileged Message Content intent, not granted', { intents: 1 | PRIVILEGED_INTENTS.messageContent }, CLOSE.disallowedIntents],
    ['the privileged Guild Members intent, not granted', { intents: 1 | PRIVILEGED_INTENTS.guildMembers }, CLOSE.disallowedIntents],
  ])('GIVEN an IDENTIFY with %s THEN the gateway closes with %s', async (_label, change, code) => {
    const client = await open();
    client.send(identify(change));
    expect(await client.closed).toBe(code);
  });

  it('GIVEN a payload before IDENTIFY, or a second IDENTIFY, THEN 4003 and 4005', async () => {
    const early = await open();
    early.send({ op: 3, d: { status: 'online' } });
    expect(await early.closed).toBe(CLOSE.notAuthenticated);
    const { client } = await ready();
    client.send(identify());
    expect(await client.closed).toBe(CLOSE.alreadyAuthenticated);
  });

  it('GIVEN a RESUME at the resume URL THEN what was missed is replayed, then RESUMED; on the /gateway/bot URL THEN INVALID SESSION', async () => {
    const { client, ready: session } = await ready();
    await client.next((frame) => frame.t === 'GUILD_CREATE');
    fake.gateway.disconnect(4000);
    await client.closed;
    fake.interact('interaction-papers-command');

    const wrongPlace = await open(fake.gateway.url);
    wrongPlace.send({ op: 6, d: { token: fake.token, session_id: session.session_id, seq: 2 } });
    expect(await wrongPlace.next((frame) => frame.op === 9)).toEqual({ ...discordFixture('gateway-invalid-session'), d: false });

    const resumed = await open(session.resume_gateway_url);
    resumed.send({ ...discordFixture('gateway-resume'), d: { token: fake.token, session_id: session.session_id, seq: 2 } });
    await resumed.next((frame) => frame.t === 'RESUMED');
    expect(resumed.frames.filter((frame) => frame.op === 0).map((frame) => [frame.t, frame.s])).toEqual([
      ['INTERACTION_CREATE', 3],
      ['RESUMED', 4],
    ]);
  });

  it('GIVEN a RESUME for another session THEN INVALID SESSION; for a sequence never sent THEN 4007 and the session is gone', async () => {
    const { client, ready: session } = await ready();
    await client.next((frame) => frame.t === 'GUILD_CREATE');
    fake.gateway.disconnect(4000);

    const other = await open(session.resume_gateway_url);
    other.send({ op: 6, d: { token: fake.token, session_id: 'someone-else', seq: 1 } });
    await other.next((frame) => frame.op === 9);

    const future = await open(session.resume_gateway_url);
    future.send({ op: 6, d: { token: fake.token, session_id: session.session_id, seq: 99 } });
    expect(await future.closed).toBe(CLOSE.invalidSeq);
    expect(fake.gateway.sessionId).toBeNull();
  });

  it.each([
    ['the client closes with 1000', (client: Client) => client.close(1000)],
    ['the client closes with 1001', (client: Client) => client.close(1001)],
    ['the gateway closes with 4009 (session timed out)', (client: Client) => serverCloses(client, CLOSE.sessionTimedOut)],
    ['the gateway closes with 4007 (invalid seq)', (client: Client) => serverCloses(client, CLOSE.invalidSeq)],
  ])('GIVEN %s THEN the session cannot be resumed', async (_label, end) => {
    const { client, ready: session } = await ready();
    await end(client);
    const resumed = await open(session.resume_gateway_url);
    resumed.send({ op: 6, d: { token: fake.token, session_id: session.session_id, seq: 1 } });
    expect((await resumed.next((frame) => frame.op === 9)).d).toBe(false);
  });

  it('GIVEN reconnect() and invalidateSession() THEN op 7 and op 9 as Discord sends them', async () => {
    const { client } = await ready();
    fake.gateway.reconnect();
    expect(await client.next((frame) => frame.op === 7)).toEqual(discordFixture('gateway-reconnect'));
    fake.gateway.invalidateSession(false);
    expect(await client.next((frame) => frame.op === 9)).toEqual({ op: 9, d: false });
    expect(fake.gateway.sessionId).toBeNull();
  });
});
