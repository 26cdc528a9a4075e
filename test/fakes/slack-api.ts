import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBlocks } from './slack-block-kit.ts';
import { readSlackManifest } from './slack-manifest.ts';

/** One Web API call as the bot sent it: form fields as strings (`blocks` is JSON text). */
export type SlackCall = {
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  readonly token: string | null;
  readonly at: number;
};

/** One POST to a response_url (JSON, as Bolt's `respond()` sends it), with what the fake answered. */
export type ResponseUrlPost = { readonly id: string; readonly body: Record<string, unknown>; readonly at: number; readonly status: number };

/** A scripted answer for the next call of a method: a Slack error, an HTTP status (429 with Retry-After), or `pass` to answer normally. */
export type ScriptedAnswer = { readonly pass?: boolean; readonly error?: string; readonly status?: number; readonly retryAfter?: number };

/** Message metadata as chat.postMessage takes it and history returns it (fixtures/slack/webapi/message-metadata.json). */
export type MessageMetadata = { readonly event_type: string; readonly event_payload: Record<string, unknown> };

/** A message in a channel: posted by the bot (with the call) or put there by a test (a person's message). */
export type PostedMessage = {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | null;
  readonly text: string;
  readonly user: string;
  readonly metadata: MessageMetadata | null;
  readonly call: SlackCall;
};

export type FakeUser = {
  readonly id: string;
  readonly name?: string;
  readonly real_name?: string;
  readonly display_name?: string;
  readonly is_admin?: boolean;
  readonly is_owner?: boolean;
  readonly is_primary_owner?: boolean;
  readonly is_bot?: boolean;
  readonly tz?: string;
  readonly deleted?: boolean;
};

/** Where apps.connections.open's URLs come from: the Socket Mode fake hands out one-use tickets. */
export type SocketUrlSource = { issueUrl(): string };

type Answer = [number, Record<string, unknown>, Record<string, string>];

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/webapi/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const AUTH_TEST = fixture('auth.test.json');
const USERS_INFO_USER = fixture('users.info.json').user as Record<string, unknown>;
const POSTED_MESSAGE = fixture('chat.postMessage.json').message as Record<string, unknown>;

export const BOT = { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001', team: 'Systems Lab', user: 'lmsys-papers', url: 'https://systems-lab.slack.com/' };

/** Which scope each method needs of a bot token; history depends on the kind of conversation. */
const METHOD_SCOPES: Record<string, (params: Record<string, string>) => string | null> = {
  'auth.test': () => null,
  'chat.postMessage': () => 'chat:write',
  'chat.postEphemeral': () => 'chat:write',
  'conversations.open': () => 'im:write',
  'users.info': () => 'users:read',
  'conversations.history': (params) => historyScope(params.channel ?? ''),
  'conversations.replies': (params) => historyScope(params.channel ?? ''),
};

const RESPONSE_URL_USES = 5;
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
const MAX_DM_USERS = 8;
const TEXT_LIMIT = 40_000;

/**
 * A local Slack Web API, as strict as Slack: form-encoded POSTs to `/api/<method>` with
 * `Authorization: Bearer` (no token → `not_authed`, an unknown one → `invalid_auth`, the wrong kind
 * → `not_allowed_token_type`), each method refused without its scope (`missing_scope`; the bot
 * token has the manifest's scopes), Block Kit checked (`invalid_blocks`, `no_text`,
 * `msg_blocks_too_long`), DMs only with known, active people (1–8 of them), and the real shapes of
 * users.info, conversations.history and conversations.replies (with message metadata when asked
 * `include_all_metadata`). Rate limits: `perChannelIntervalMs` answers HTTP 429 `ratelimited` with
 * Retry-After; `appPostLimit` answers chat.postMessage's HTTP 200 `rate_limited`. `/respond/<id>`
 * stands in for response_urls (5 uses within 30 minutes). `postLatencyMs` answers posts late, the
 * message already in the channel, as a slow Slack does.
 */
export class FakeSlackApi extends EventEmitter {
  readonly calls: SlackCall[] = [];
  /** response_url posts that Slack took. */
  readonly responses: ResponseUrlPost[] = [];
  /** response_url posts it refused (used up, expired, bad blocks). */
  readonly refusedResponses: ResponseUrlPost[] = [];
  /** Messages the bot posted with chat.postMessage, in order. */
  readonly posted: PostedMessage[] = [];
  /** chat.postEphemeral calls Slack took, in order. */
  readonly ephemerals: SlackCall[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly missingChannels = new Set<string>();
  readonly channelsWithoutBot = new Set<string>();
  /** Tokens Slack knows: the bot token (`xoxb-`) and the app-level token (`xapp-`) of the app. */
  readonly botTokens = new Set(['xoxb-test']);
  readonly appTokens = new Set(['xapp-test']);
  /** What the bot token was granted: the manifest's bot scopes. */
  readonly scopes = new Set(readSlackManifest().scopes);
  /** Slack's per-channel limit (HTTP 429 `ratelimited`); null = unlimited. */
  perChannelIntervalMs: number | null = null;
  /** The app-wide posting limit behind chat.postMessage's HTTP 200 `rate_limited`; null = none. */
  appPostLimit: { readonly posts: number; readonly windowMs: number } | null = null;
  /** How long chat.postMessage takes to answer; the message is in the channel from the start. */
  postLatencyMs = 0;
  /** Where apps.connections.open's URLs come from (the Socket Mode fake). */
  socket: SocketUrlSource | null = null;
  /** 429s answered because of `perChannelIntervalMs` (scripted ones are not counted). */
  rateLimitedCount = 0;
  /** HTTP 200 `rate_limited` answered because of `appPostLimit`. */
  appRateLimitedCount = 0;
  /** chat.postMessage requests taken but not yet answered (`postLatencyMs`). */
  unanswered = 0;
  now: () => number = Date.now;
  readonly #messages = new Map<string, PostedMessage[]>();
  readonly #openDms = new Set<string>();
  readonly #responseUrls = new Map<string, { issuedAt: number; uses: number }>();
  readonly #scripts = new Map<string, ScriptedAnswer[]>();
  readonly #lastPostAt = new Map<string, number>();
  readonly #recentPosts: number[] = [];
  readonly #server = createServer((request, response) => void this.#handle(request, response));
  #base = '';
  #lastTs = 0;

  static async start(): Promise<FakeSlackApi> {
    const fake = new FakeSlackApi();
    fake.#server.listen(0, '127.0.0.1');
    await once(fake.#server, 'listening');
    fake.#base = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  get apiUrl(): string {
    return `${this.#base}/api/`;
  }

  /** A response_url as Slack issues with each command or click: usable 5 times within 30 minutes from now. */
  responseUrl(id: string): string {
    if (!this.#responseUrls.has(id)) this.#responseUrls.set(id, { issuedAt: this.now(), uses: 0 });
    return `${this.#base}/respond/${id}`;
  }

  /** People of the workspace, active, with no special role. */
  addUsers(...ids: string[]): void {
    for (const id of ids) if (!this.users.has(id)) this.users.set(id, { id });
  }

  /** Deactivates a person: conversations.open answers `user_disabled`. */
  deactivate(id: string): void {
    this.users.set(id, { ...(this.users.get(id) ?? { id }), deleted: true });
  }

  /** A message someone else wrote in a channel (history is not only the bot's). */
  addMessage(channel: string, text: string, user = 'UOTHER'): PostedMessage {
    const call: SlackCall = { method: 'test', params: { channel, text }, token: null, at: this.now() };
    const message: PostedMessage = { channel, ts: this.#nextTs(), threadTs: null, text, user, metadata: null, call };
    this.#store(message);
    return message;
  }

  /** Every message in a channel, oldest first (thread replies included). */
  messagesIn(channel: string): PostedMessage[] {
    return [...(this.#messages.get(channel) ?? [])];
  }

  script(method: string, ...answers: ScriptedAnswer[]): void {
    this.#scripts.set(method, [...(this.#scripts.get(method) ?? []), ...answers]);
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves with the `count`-th recorded call matching `match` (waits for it if it has not come yet). */
  waitForCall(match: string | ((call: SlackCall) => boolean), count = 1): Promise<SlackCall> {
    const test = typeof match === 'string' ? (call: SlackCall) => call.method === match : match;
    return this.#waitFor('call', () => this.calls.filter(test)[count - 1]);
  }

  /** Resolves with the first `count` posts Slack took on response_urls. */
  waitForResponses(count: number): Promise<ResponseUrlPost[]> {
    return this.#waitFor('response', () => (this.responses.length >= count ? this.responses.slice(0, count) : undefined));
  }

  /** Resolves with the first `count` ephemeral messages Slack took. */
  waitForEphemerals(count: number): Promise<SlackCall[]> {
    return this.#waitFor('ephemeral', () => (this.ephemerals.length >= count ? this.ephemerals.slice(0, count) : undefined));
  }

  /** Resolves once `count` messages have been posted (answered or not). */
  waitForPosts(count: number): Promise<PostedMessage[]> {
    return this.#waitFor('post', () => (this.posted.length >= count ? this.posted.slice(0, count) : undefined));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #waitFor<T>(event: string, read: () => T | undefined): Promise<T> {
    const now = read();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const check = () => {
        const value = read();
        if (value === undefined) return;
        this.off(event, check);
        resolve(value);
      };
      this.on(event, check);
    });
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.#base);
    const body = await readBody(request);
    if (url.pathname.startsWith('/respond/')) return this.#respond(url.pathname.slice('/respond/'.length), body, response);
    if (!url.pathname.startsWith('/api/') || request.method !== 'POST') {
      response.writeHead(404).end('not found');
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const params = Object.fromEntries(new URLSearchParams(body));
    const authorization = request.headers.authorization ?? '';
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : (params.token ?? null);
    const call: SlackCall = { method, params, token, at: this.now() };
    this.calls.push(call);
    const [status, answer, headers] = this.#answer(call);
    const posted = method === 'chat.postMessage' && answer.ok === true;
    if (posted && this.postLatencyMs > 0) {
      this.unanswered += 1;
      await new Promise((done) => setTimeout(done, this.postLatencyMs));
      this.unanswered -= 1;
    }
    if (!response.destroyed) response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(answer));
    this.emit('call', call);
  }

  #answer(call: SlackCall): Answer {
    const scripted = this.#scripts.get(call.method)?.shift();
    if (scripted && !scripted.pass) {
      const headers: Record<string, string> = scripted.retryAfter === undefined ? {} : { 'retry-after': String(scripted.retryAfter) };
      return [scripted.status ?? 200, { ok: false, error: scripted.error ?? (scripted.status === 429 ? 'ratelimited' : 'internal_error') }, headers];
    }
    const refused = this.#checkToken(call) ?? this.#checkScope(call);
    if (refused) return refused;
    switch (call.method) {
      case 'auth.test':
        return ok({ ...AUTH_TEST, ...BOT });
      case 'apps.connections.open':
        return this.socket ? ok({ url: this.socket.issueUrl() }) : fail('internal_error');
      case 'chat.postMessage':
        return this.#postMessage(call);
      case 'chat.postEphemeral':
        return this.#postEphemeral(call);
      case 'conversations.open':
        return this.#openConversation(call.params.users ?? '');
      case 'conversations.history':
        return this.#history(call.params);
      case 'conversations.replies':
        return this.#replies(call.params);
      case 'users.info':
        return this.#userInfo(call.params.user ?? '');
      default:
        return fail('unknown_method');
    }
  }

  /** The app-level token opens Socket Mode connections and nothing else; the bot token does the rest. */
  #checkToken(call: SlackCall): Answer | null {
    if (!call.token) return fail('not_authed');
    const isBot = this.botTokens.has(call.token);
    const isApp = this.appTokens.has(call.token);
    if (!isBot && !isApp) return fail('invalid_auth');
    const wantsApp = call.method === 'apps.connections.open';
    return wantsApp === isApp ? null : fail('not_allowed_token_type');
  }

  #checkScope(call: SlackCall): Answer | null {
    const needed = METHOD_SCOPES[call.method]?.(call.params) ?? null;
    if (!needed || this.scopes.has(needed) || !this.botTokens.has(call.token ?? '')) return null;
    return [200, { ok: false, error: 'missing_scope', needed, provided: [...this.scopes].join(',') }, {}];
  }

  #postMessage(call: SlackCall): Answer {
    const { channel = '', text = '', blocks, metadata, thread_ts: threadTs } = call.params;
    const refused = this.#inChannel(channel);
    if (refused) return refused;
    if (!text && !blocks) return fail('no_text');
    if (blocks !== undefined) {
      const verdict = checkBlocks(blocks);
      if (!verdict.ok) return 'errors' in verdict ? invalidBlocks(verdict.errors) : fail(verdict.error);
    }
    const meta = readMetadata(metadata);
    if (meta === 'format' || meta === 'schema') return fail(`invalid_metadata_${meta}`);
    const limited = this.#rateLimit(channel, call.at);
    if (limited) return limited;
    const message: PostedMessage = {
      channel,
      ts: this.#nextTs(),
      threadTs: threadTs ?? null,
      text: text.slice(0, TEXT_LIMIT),
      user: BOT.user_id,
      metadata: meta,
      call,
    };
    this.#store(message);
    this.posted.push(message);
    this.emit('post', message);
    return ok({ channel, ts: message.ts, message: this.#shape(message, true) });
  }

  /** An ephemeral message: the same checks as a post (text or blocks, Block Kit); it is not in history. */
  #postEphemeral(call: SlackCall): Answer {
    const { channel = '', text = '', blocks, user = '' } = call.params;
    const refused = this.#inChannel(channel);
    if (refused) return refused;
    if (!user) return fail('user_not_found');
    if (!text && !blocks) return fail('no_text');
    if (blocks !== undefined) {
      const verdict = checkBlocks(blocks);
      if (!verdict.ok) return 'errors' in verdict ? invalidBlocks(verdict.errors) : fail(verdict.error);
    }
    this.ephemerals.push(call);
    this.emit('ephemeral', call);
    return ok({ message_ts: this.#nextTs() });
  }

  #rateLimit(channel: string, at: number): Answer | null {
    if (this.perChannelIntervalMs !== null) {
      const last = this.#lastPostAt.get(channel);
      const elapsed = last === undefined ? Number.POSITIVE_INFINITY : at - last;
      if (elapsed < this.perChannelIntervalMs) {
        this.rateLimitedCount += 1;
        return [429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(Math.max(1, Math.ceil((this.perChannelIntervalMs - elapsed) / 1000))) }];
      }
      this.#lastPostAt.set(channel, at);
    }
    if (this.appPostLimit) {
      const since = at - this.appPostLimit.windowMs;
      while (this.#recentPosts.length && (this.#recentPosts[0] ?? 0) <= since) this.#recentPosts.shift();
      if (this.#recentPosts.length >= this.appPostLimit.posts) {
        this.appRateLimitedCount += 1;
        return fail('rate_limited');
      }
      this.#recentPosts.push(at);
    }
    return null;
  }

  /** Channels exist unless made missing; a DM exists once conversations.open opened it. */
  #inChannel(channel: string): Answer | null {
    if (!channel || this.missingChannels.has(channel)) return fail('channel_not_found');
    if (/^[DG]/.test(channel) && !this.#openDms.has(channel)) return fail('channel_not_found');
    if (this.channelsWithoutBot.has(channel)) return fail('not_in_channel');
    return null;
  }

  #openConversation(list: string): Answer {
    const ids = list
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (ids.length === 0) return fail('users_list_not_supplied');
    if (ids.length > MAX_DM_USERS) return fail('too_many_users');
    for (const id of ids) {
      const user = this.users.get(id);
      if (id === BOT.user_id || user?.is_bot) return fail('cannot_dm_bot');
      if (!user) return fail('user_not_found');
      if (user.deleted) return fail('user_disabled');
    }
    const id = ids.length === 1 ? `D${(ids[0] as string).slice(1)}` : `G${ids.map((user) => user.slice(1)).join('')}`.slice(0, 11);
    this.#openDms.add(id);
    return ok({ channel: { id } });
  }

  #userInfo(id: string): Answer {
    const user = this.users.get(id);
    if (!user) return fail('user_not_found');
    const name = user.name ?? id.toLowerCase();
    const realName = user.real_name ?? name;
    const profile = USERS_INFO_USER.profile as Record<string, unknown>;
    return ok({
      user: {
        ...USERS_INFO_USER,
        id,
        team_id: BOT.team_id,
        name,
        real_name: realName,
        deleted: user.deleted ?? false,
        tz: user.tz ?? 'America/Los_Angeles',
        is_admin: user.is_admin ?? false,
        is_owner: user.is_owner ?? false,
        is_primary_owner: user.is_primary_owner ?? false,
        is_bot: user.is_bot ?? false,
        profile: {
          ...profile,
          real_name: realName,
          real_name_normalized: realName,
          display_name: user.display_name ?? '',
          display_name_normalized: user.display_name ?? '',
          email: `${name}@example.com`,
          team: BOT.team_id,
        },
      },
    });
  }

  /** Top-level messages, newest first, between `oldest` and `latest`, `limit` a page (cursor `next_ts:<ts>` as Slack's). */
  #history(params: Record<string, string>): Answer {
    const channel = params.channel ?? '';
    const refused = this.#inChannel(channel);
    if (refused) return refused;
    const withMetadata = params.include_all_metadata === 'true';
    const topLevel = this.messagesIn(channel)
      .filter((message) => message.threadTs === null)
      .reverse();
    const inclusive = params.inclusive === 'true';
    const inRange = topLevel.filter(
      (message) =>
        after(message.ts, params.oldest, inclusive) && before(message.ts, params.latest, inclusive) && before(message.ts, readCursor(params.cursor), true),
    );
    const limit = Math.min(Number(params.limit || 100), 999);
    const page = inRange.slice(0, limit);
    const next = inRange[limit];
    return ok({
      messages: page.map((message) => this.#shape(message, withMetadata)),
      has_more: next !== undefined,
      pin_count: 0,
      response_metadata: { next_cursor: next ? cursorAt(next.ts) : '' },
    });
  }

  /** A thread: its parent, then the replies oldest first. `ts` may name the parent or any reply in the thread (as Slack's docs say). */
  #replies(params: Record<string, string>): Answer {
    const channel = params.channel ?? '';
    const refused = this.#inChannel(channel);
    if (refused) return refused;
    const messages = this.messagesIn(channel);
    const named = messages.find((message) => message.ts === params.ts);
    const parent = messages.find((message) => message.ts === (named?.threadTs ?? params.ts) && message.threadTs === null);
    if (!parent) return fail('thread_not_found');
    const withMetadata = params.include_all_metadata === 'true';
    const thread = [parent, ...messages.filter((message) => message.threadTs === parent.ts)].filter((message) =>
      after(message.ts, readCursor(params.cursor), true),
    );
    const limit = Math.min(Number(params.limit || 1000), 1000);
    const next = thread[limit];
    return ok({
      messages: thread.slice(0, limit).map((message) => this.#shape(message, withMetadata)),
      has_more: next !== undefined,
      response_metadata: { next_cursor: next ? cursorAt(next.ts) : '' },
    });
  }

  /** A message as Slack shows it in an answer (chat.postMessage's `message`, history). */
  #shape(message: PostedMessage, withMetadata: boolean): Record<string, unknown> {
    const byBot = message.user === BOT.user_id;
    const replies = message.threadTs === null ? this.messagesIn(message.channel).filter((reply) => reply.threadTs === message.ts).length : 0;
    return {
      ...(byBot ? { ...POSTED_MESSAGE, attachments: undefined, username: undefined, bot_id: BOT.bot_id } : { type: 'message' }),
      user: message.user,
      text: message.text,
      ts: message.ts,
      ...(message.call.params.blocks ? { blocks: JSON.parse(message.call.params.blocks) as unknown } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs, parent_user_id: BOT.user_id } : {}),
      ...(replies ? { thread_ts: message.ts, reply_count: replies } : {}),
      ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
    };
  }

  #respond(id: string, raw: string, response: ServerResponse): void {
    const body = parseObject(raw);
    // An assumption, as the other response_url answers are: incoming webhooks answer a body that is not JSON this way.
    if (!body) return void response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
    const issued = this.#responseUrls.get(id);
    const [status, text] = this.#checkResponse(issued, body);
    const post: ResponseUrlPost = { id, body, at: this.now(), status };
    if (status === 200 && issued) {
      issued.uses += 1;
      this.responses.push(post);
      this.emit('response');
    } else {
      this.refusedResponses.push(post);
      this.emit('refused-response');
    }
    response.writeHead(status, { 'content-type': 'text/plain' }).end(text);
  }

  /** Slack's response_url rules; the bodies past the limits are assumptions (see fixtures/slack/README.md). */
  #checkResponse(issued: { issuedAt: number; uses: number } | undefined, body: Record<string, unknown>): [number, string] {
    if (!issued) return [404, 'invalid_url'];
    if (this.now() - issued.issuedAt > RESPONSE_URL_LIFETIME_MS) return [404, 'expired_url'];
    if (issued.uses >= RESPONSE_URL_USES) return [404, 'used_url'];
    if (body.delete_original === true) return [200, 'ok'];
    if (!body.text && !body.blocks) return [400, 'no_text'];
    if (body.blocks !== undefined && !checkBlocks(body.blocks as unknown[]).ok) return [400, 'invalid_blocks'];
    return [200, 'ok'];
  }

  #store(message: PostedMessage): void {
    this.#messages.set(message.channel, [...(this.#messages.get(message.channel) ?? []), message]);
  }

  /** Slack's ts is the posting time in seconds with a per-message suffix; ours never repeats. */
  #nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.#lastTs + 1);
    this.#lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }
}

function historyScope(channel: string): string {
  if (channel.startsWith('D')) return 'im:history';
  if (channel.startsWith('G')) return 'groups:history';
  return 'channels:history';
}

function readMetadata(raw: string | undefined): MessageMetadata | null | 'format' | 'schema' {
  if (raw === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return 'format';
  }
  const candidate = parsed as Partial<MessageMetadata> | null;
  if (!candidate || typeof candidate.event_type !== 'string' || !candidate.event_type) return 'schema';
  if (typeof candidate.event_payload !== 'object' || candidate.event_payload === null || Array.isArray(candidate.event_payload)) return 'schema';
  return { event_type: candidate.event_type, event_payload: candidate.event_payload };
}

function cursorAt(ts: string): string {
  return Buffer.from(`next_ts:${ts.replace('.', '')}`).toString('base64');
}

/** The ts a cursor points at (the first message of the next page). */
function readCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const digits = Buffer.from(cursor, 'base64')
    .toString('utf8')
    .replace(/^next_ts:/, '');
  return `${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

function after(ts: string, bound: string | undefined, inclusive: boolean): boolean {
  if (!bound) return true;
  return inclusive ? Number(ts) >= Number(bound) : Number(ts) > Number(bound);
}

function before(ts: string, bound: string | undefined, inclusive: boolean): boolean {
  if (!bound) return true;
  return inclusive ? Number(ts) <= Number(bound) : Number(ts) < Number(bound);
}

function ok(fields: Record<string, unknown>): Answer {
  return [200, { ok: true, ...fields }, {}];
}

function fail(error: string): Answer {
  return [200, { ok: false, error }, {}];
}

function invalidBlocks(errors: string[]): Answer {
  return [200, { ok: false, error: 'invalid_blocks', errors, response_metadata: { messages: errors.map((error) => `[ERROR] ${error}`) } }, {}];
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The blocks a recorded call carried, parsed. */
export function blocksOf(call: SlackCall | ResponseUrlPost): unknown[] {
  if ('method' in call) return call.params.blocks ? (JSON.parse(call.params.blocks) as unknown[]) : [];
  return (call.body.blocks as unknown[] | undefined) ?? [];
}

/** A JSON object, or null for anything else (not JSON, an array, a string). */
function parseObject(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
