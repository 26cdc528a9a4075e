import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeChannels } from './channels.ts';
import { DISCORD_ERRORS, type FakeResponse, invalidFormBody, required } from './discord-errors.ts';
import { FakeInteractions } from './interactions.ts';
import { RateLimiter, type RateLimitRule } from './rate-limiter.ts';
import { authorOf, type FakeUser, isSnowflake, type Snowflakes } from './snowflakes.ts';
import { refuseCommands } from './validate-commands.ts';
import { refuseMessage } from './validate-message.ts';

export { DISCORD_ERRORS, type FakeResponse } from './discord-errors.ts';

type Json = Record<string, unknown>;

export type RecordedRequest = {
  readonly method: string;
  /** Without the `/api/v10` prefix, decoded: `/webhooks/1/abc/messages/@original`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown> | null;
  /** Whether the bot token came with it (interaction callbacks and webhooks go without). */
  readonly authorized: boolean;
  readonly at: number;
  /** The HTTP status Discord settled on (set when the request was carried out, before any latency). */
  status?: number;
  /** Whether the answer reached the client (false while a slow answer is on its way, or when the client went away). */
  answered?: boolean;
  /** Discord's JSON error code when it was refused. */
  code?: number;
};

/** `afterCommit`: the request is carried out, then answered with the fault (the answer was lost on the way). */
type Fault = { readonly method: string; readonly path: RegExp; readonly response: FakeResponse; readonly afterCommit?: boolean };

export type FakeRestOptions = {
  readonly ids: Snowflakes;
  readonly bot: FakeUser;
  readonly token: string;
  readonly applicationId: string;
  readonly guilds: readonly Json[];
  readonly gatewayUrl: () => string;
  /** How long a channel remembers a nonce for `enforce_nonce` (Discord: "a few minutes"). */
  readonly nonceWindowMs?: number;
  /** Extra latency before each answer: a slow Discord. */
  readonly latencyMs?: number;
};

const NONCE_WINDOW_MS = 5 * 60_000;

/**
 * The Discord REST API (v10), as much of it as the bot uses, refusing what Discord refuses: the
 * bot token on every route but interaction callbacks and webhooks (401), unknown channels
 * (10003), message and command bodies past Discord's limits (400 Invalid Form Body, 50035), empty
 * messages (50006), and the interaction rules (see FakeInteractions). Answers with Discord's
 * shapes: message objects, DM channels, registered commands, channel history. Records every
 * request; scripted faults and Discord-style rate limits (bucket headers, 429 with
 * `retry_after`) inject trouble.
 */
export class FakeDiscordRest extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  /** Channel id → message bodies created there (channels and DMs alike). */
  readonly posted = new Map<string, Record<string, unknown>[]>();
  readonly commands = new Map<string, unknown[]>();
  /** HTTP status → how many responses had it (429s under rate limits, in benchmarks). */
  readonly statusCounts = new Map<number, number>();
  /** Users whose DMs are closed: posting into their DM channel answers 50007. */
  readonly closedDms = new Set<string>();
  /** Channels the bot cannot see: posting or reading answers 50001. */
  readonly noAccess = new Set<string>();
  /** User id → the DM channel opened with them. */
  readonly dmChannels = new Map<string, string>();
  readonly channels: FakeChannels;
  readonly interactions: FakeInteractions;
  readonly #faults: Fault[] = [];
  /** `channel nonce` → the message created with it and when. */
  readonly #byNonce = new Map<string, { message: Json; at: number }>();
  readonly #server = createServer((request, response) => void this.#handle(request, response));
  #limiter: RateLimiter | null = null;
  #advancedMs = 0;
  #base = '';
  /** Milliseconds an answer waits after its request was carried out (a slow Discord); a test may change it at any time. */
  latency: (request: RecordedRequest) => number;
  readonly ids: Snowflakes;
  readonly bot: FakeUser;
  readonly #options: FakeRestOptions;

  constructor(options: FakeRestOptions) {
    super();
    this.ids = options.ids;
    this.bot = options.bot;
    this.#options = options;
    this.latency = () => options.latencyMs ?? 0;
    this.channels = new FakeChannels(options.ids, options.bot, options.guilds);
    this.interactions = new FakeInteractions(this.channels, options.applicationId, () => this.now());
  }

  async listen(): Promise<void> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The value for discord.js's `rest.api` option. */
  get apiUrl(): string {
    return `${this.#base}/api`;
  }

  /** The fake's clock: real time, moved on by `advance` (an interaction token's 15 minutes, the nonce window). */
  now(): number {
    return Date.now() + this.#advancedMs;
  }

  /** Moves the fake's clock on, as if `ms` had passed. */
  advance(ms: number): void {
    this.#advancedMs += ms;
  }

  rateLimit(rules: readonly RateLimitRule[], globalPerSecond = 50): void {
    this.#limiter = new RateLimiter(rules, globalPerSecond);
  }

  /** The next request matching `method` and `path` gets each response in turn, then normal service resumes. */
  fail(method: string, path: RegExp, ...responses: FakeResponse[]): void {
    for (const response of responses) this.#faults.push({ method, path, response });
  }

  /** Like `fail`, but each matching request is carried out first: Discord did it, the answer never arrived. */
  failAfterCommit(method: string, path: RegExp, ...responses: FakeResponse[]): void {
    for (const response of responses) this.#faults.push({ method, path, response, afterCommit: true });
  }

  /** Requests answered with an error (4xx/5xx), as `METHOD path → status code`: what Discord refused. */
  refusals(): string[] {
    return this.requests
      .filter((request) => (request.status ?? 0) >= 400)
      .map((request) => `${request.method} ${request.path} → ${request.status} ${request.code ?? ''}`.trim());
  }

  /**
   * Resolves with the first recorded request (past or future) that matches: as it arrives, once
   * carried out (`committed`, before any latency), or once answered.
   */
  async waitFor(matches: (request: RecordedRequest) => boolean, when: 'request' | 'committed' | 'answered' = 'request'): Promise<RecordedRequest> {
    const seen = this.requests.find((request) => (when === 'request' || request.status !== undefined) && matches(request));
    if (seen) return seen;
    return new Promise((resolve) => {
      const listener = (request: RecordedRequest) => {
        if (!matches(request)) return;
        this.off(when, listener);
        resolve(request);
      };
      this.on(when, listener);
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.#base);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: decodeURIComponent(url.pathname.replace(/^\/api\/v10/, '')),
      query: url.searchParams,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
      authorized: request.headers.authorization === `Bot ${this.#options.token}`,
      at: Date.now(),
    };
    this.requests.push(recorded);
    this.emit('request', recorded);
    // Interaction callbacks are exempt from the global limit, as on Discord.
    const verdict = this.#limiter?.take(`${recorded.method} ${recorded.path}`, recorded.path.startsWith('/interactions/'));
    const answer: FakeResponse =
      verdict && !verdict.ok
        ? { status: 429, body: { message: 'You are being rate limited.', retry_after: verdict.retryAfter, global: verdict.global } }
        : this.#answer(recorded, request.headers.authorization);
    recorded.status = answer.status;
    if (answer.status >= 400) recorded.code = (answer.body as { code?: number } | undefined)?.code;
    this.statusCounts.set(answer.status, (this.statusCounts.get(answer.status) ?? 0) + 1);
    // Done on Discord's side; a slow Discord is slow to answer (the case where a crash loses the answer).
    this.emit('committed', recorded);
    const latency = this.latency(recorded);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (response.destroyed) return;
    // A 204 has no body and no content type; discord.js would try to parse an empty JSON document.
    const type: Record<string, string> = answer.body === undefined ? {} : { 'content-type': 'application/json' };
    response.writeHead(answer.status, { ...type, ...verdict?.headers, ...answer.headers }).end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    recorded.answered = true;
    this.emit('answered', recorded);
  }

  #answer(request: RecordedRequest, authorization: string | undefined): FakeResponse {
    const index = this.#faults.findIndex((fault) => fault.method === request.method && fault.path.test(request.path));
    if (index < 0) return this.#route(request, authorization);
    const [fault] = this.#faults.splice(index, 1) as [Fault];
    if (fault.afterCommit) this.#route(request, authorization);
    return fault.response;
  }

  #route(request: RecordedRequest, authorization: string | undefined): FakeResponse {
    const { method, path, body, query } = request;
    // Interaction callbacks and webhook routes authenticate by their token; a bot token with them does no harm.
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback) {
      if (method !== 'POST') return DISCORD_ERRORS.methodNotAllowed;
      return this.interactions.callback(callback[1] ?? '', callback[2] ?? '', body ?? {}, query.get('with_response') === 'true');
    }
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path);
    if (webhook) return this.interactions.webhook(method, webhook[1] ?? '', webhook[2] ?? '', webhook[3], body ?? {});
    // Everything else needs the bot token: none, or a wrong one, is a 401.
    if (authorization !== `Bot ${this.#options.token}`) return DISCORD_ERRORS.unauthorized;
    if (path === '/gateway/bot') return method === 'GET' ? this.#gatewayBot() : DISCORD_ERRORS.methodNotAllowed;
    if (path === '/users/@me')
      return method === 'GET' ? { status: 200, body: { ...authorOf(this.bot), verified: true, mfa_enabled: false } } : DISCORD_ERRORS.methodNotAllowed;
    if (path === '/users/@me/channels') return method === 'POST' ? this.#openDm(body) : DISCORD_ERRORS.methodNotAllowed;
    const commands = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (commands) return method === 'PUT' ? this.#registerCommands(path, commands[1] ?? '', commands[2], body) : DISCORD_ERRORS.methodNotAllowed;
    const single = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (single) {
      if (method !== 'GET') return DISCORD_ERRORS.methodNotAllowed;
      return this.noAccess.has(single[1] ?? '') ? DISCORD_ERRORS.missingAccess : this.channels.get(single[1] ?? '', single[2] ?? '');
    }
    const channel = /^\/channels\/(\d+)\/messages$/.exec(path)?.[1];
    if (channel !== undefined) {
      if (method === 'POST') return this.#post(channel, body ?? {});
      if (method === 'GET') return this.noAccess.has(channel) ? DISCORD_ERRORS.missingAccess : this.channels.list(channel, query);
      return DISCORD_ERRORS.methodNotAllowed;
    }
    return DISCORD_ERRORS.notFound;
  }

  #gatewayBot(): FakeResponse {
    return {
      status: 200,
      body: { url: this.#options.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } },
    };
  }

  #openDm(body: Json | null): FakeResponse {
    const recipient = body?.recipient_id;
    if (recipient === undefined) return invalidFormBody(required(['recipient_id']));
    if (!isSnowflake(String(recipient))) return invalidFormBody(required(['recipient_id']));
    const channel = this.channels.openDm(String(recipient));
    this.dmChannels.set(String(recipient), String(channel.id));
    return { status: 200, body: channel };
  }

  #registerCommands(path: string, applicationId: string, guildId: string | undefined, body: unknown): FakeResponse {
    if (applicationId !== this.#options.applicationId) return DISCORD_ERRORS.missingAccess;
    if (guildId !== undefined && !this.#options.guilds.some((guild) => String(guild.id) === guildId)) return DISCORD_ERRORS.missingAccess;
    const refused = refuseCommands(body, { guild: guildId !== undefined });
    if (refused) return refused;
    const registered = (body as Json[]).map((command) => ({
      id: this.ids.next(),
      application_id: applicationId,
      version: this.ids.next(),
      type: 1,
      default_member_permissions: null,
      nsfw: false,
      ...(guildId ? { guild_id: guildId } : {}),
      ...command,
    }));
    this.commands.set(path, registered);
    return { status: 200, body: registered };
  }

  #post(channelId: string, body: Json): FakeResponse {
    if (!this.channels.has(channelId)) return DISCORD_ERRORS.unknownChannel;
    if (this.noAccess.has(channelId)) return DISCORD_ERRORS.missingAccess;
    const recipient = this.channels.recipientOf(channelId);
    if (recipient && this.closedDms.has(recipient)) return DISCORD_ERRORS.cannotMessageUser;
    const refused = refuseMessage(body);
    if (refused) return refused;
    // enforce_nonce: within the window, the message created with the same nonce comes back and no new one is made.
    const nonce = body.enforce_nonce === true && body.nonce !== undefined ? `${channelId} ${String(body.nonce)}` : null;
    const earlier = nonce === null ? undefined : this.#byNonce.get(nonce);
    if (earlier && this.now() - earlier.at <= (this.#options.nonceWindowMs ?? NONCE_WINDOW_MS)) return { status: 200, body: earlier.message };
    const created = this.channels.create(channelId, body);
    this.#record(channelId, body);
    if (nonce !== null) this.#byNonce.set(nonce, { message: created, at: this.now() });
    return { status: 200, body: created };
  }

  #record(channelId: string, body: Json): void {
    const messages = this.posted.get(channelId) ?? [];
    messages.push(body);
    this.posted.set(channelId, messages);
  }
}
