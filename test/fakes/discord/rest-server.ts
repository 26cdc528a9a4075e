import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RateLimiter, type RateLimitRule } from './rate-limiter.ts';
import { type FakeUser, fakeMessage, type Snowflakes } from './snowflakes.ts';

export type RecordedRequest = {
  readonly method: string;
  /** Without the `/api/v10` prefix, decoded: `/webhooks/1/abc/messages/@original`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown> | null;
  /** Whether the bot token came with it (interaction callbacks and webhooks go without). */
  readonly authorized: boolean;
  readonly at: number;
};

export type FakeResponse = { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> };
/** `afterCommit`: the request is carried out, then answered with the fault (the answer was lost on the way). */
type Fault = { readonly method: string; readonly path: RegExp; readonly response: FakeResponse; readonly afterCommit?: boolean };

/** Discord's JSON error bodies for the permanent failures a bot meets. */
export const DISCORD_ERRORS = {
  missingAccess: { status: 403, body: { message: 'Missing Access', code: 50001 } },
  cannotMessageUser: { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } },
  unknownChannel: { status: 404, body: { message: 'Unknown Channel', code: 10003 } },
} as const satisfies Record<string, FakeResponse>;

/**
 * The Discord REST API, as much of it as the bot uses: the gateway URL, command registration,
 * interaction callbacks and webhook edits, channel messages and DM channels. Records every request;
 * scripted faults and Discord-style rate limits (bucket headers, 429 with `retry_after`) inject trouble.
 */
export class FakeDiscordRest extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  /** Channel id → message bodies posted there (channels and DMs alike). */
  readonly posted = new Map<string, Record<string, unknown>[]>();
  readonly commands = new Map<string, unknown[]>();
  /** HTTP status → how many responses had it (429s under rate limits, in benchmarks). */
  readonly statusCounts = new Map<number, number>();
  /** Users whose DMs are closed: posting into their DM channel answers 50007. */
  readonly closedDms = new Set<string>();
  /** Channels the bot cannot see: posting answers 50001. */
  readonly noAccess = new Set<string>();
  readonly dmChannels = new Map<string, string>();
  /** Interaction token → the channel it came from, so webhook messages land where Discord would put them. */
  readonly interactionChannels = new Map<string, string>();
  readonly #faults: Fault[] = [];
  /** `channel nonce` → the message created with it (Discord keeps them a few minutes; the fake, for its life). */
  readonly #byNonce = new Map<string, unknown>();
  readonly #server = createServer((request, response) => void this.#handle(request, response));
  #limiter: RateLimiter | null = null;
  #base = '';

  readonly ids: Snowflakes;
  readonly bot: FakeUser;
  readonly #token: string;
  readonly #gatewayUrl: () => string;

  constructor(options: { ids: Snowflakes; bot: FakeUser; token: string; gatewayUrl: () => string }) {
    super();
    this.ids = options.ids;
    this.bot = options.bot;
    this.#token = options.token;
    this.#gatewayUrl = options.gatewayUrl;
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

  /** Resolves with the first recorded request (past or future) that matches. */
  async waitFor(matches: (request: RecordedRequest) => boolean): Promise<RecordedRequest> {
    const seen = this.requests.find(matches);
    if (seen) return seen;
    return new Promise((resolve) => {
      const listener = (request: RecordedRequest) => {
        if (!matches(request)) return;
        this.off('request', listener);
        resolve(request);
      };
      this.on('request', listener);
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
      authorized: request.headers.authorization === `Bot ${this.#token}`,
      at: Date.now(),
    };
    this.requests.push(recorded);
    this.emit('request', recorded);
    // Interaction callbacks are exempt from the global limit, as on Discord.
    const verdict = this.#limiter?.take(`${recorded.method} ${recorded.path}`, recorded.path.startsWith('/interactions/'));
    const answer: FakeResponse =
      verdict && !verdict.ok
        ? { status: 429, body: { message: 'You are being rate limited.', retry_after: verdict.retryAfter, global: verdict.global } }
        : this.#answer(recorded);
    this.statusCounts.set(answer.status, (this.statusCounts.get(answer.status) ?? 0) + 1);
    // A 204 has no body and no content type; discord.js would try to parse an empty JSON document.
    const type: Record<string, string> = answer.body === undefined ? {} : { 'content-type': 'application/json' };
    response.writeHead(answer.status, { ...type, ...verdict?.headers, ...answer.headers }).end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }

  #answer(request: RecordedRequest): FakeResponse {
    const index = this.#faults.findIndex((fault) => fault.method === request.method && fault.path.test(request.path));
    if (index < 0) return this.#route(request);
    const [fault] = this.#faults.splice(index, 1) as [Fault];
    if (fault.afterCommit) this.#route(request);
    return fault.response;
  }

  #route(request: RecordedRequest): FakeResponse {
    const { method, path, body } = request;
    const ok = (payload: unknown): FakeResponse => ({ status: 200, body: payload });
    if (method === 'GET' && path === '/gateway/bot') {
      return ok({ url: this.#gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      const commands = (body as unknown as Record<string, unknown>[]).map((command) => ({ id: this.ids.next(), version: this.ids.next(), ...command }));
      this.commands.set(path, commands);
      return ok(commands);
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return { status: 204 };
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/(.+))?$/.exec(path);
    if (webhook && method === 'DELETE') return { status: 204 };
    if (webhook) return ok(fakeMessage(this.ids, this.interactionChannels.get(webhook[2] ?? '') ?? '0', this.bot, body));
    if (method === 'POST' && path === '/users/@me/channels') return ok(this.#dmChannel(String(body?.recipient_id)));
    const channel = /^\/channels\/(\d+)\/messages$/.exec(path)?.[1];
    if (method === 'POST' && channel) return this.#post(channel, body ?? {});
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  #dmChannel(userId: string): Record<string, unknown> {
    let channelId = this.dmChannels.get(userId);
    if (!channelId) {
      channelId = this.ids.next();
      this.dmChannels.set(userId, channelId);
    }
    return {
      id: channelId,
      type: 1,
      last_message_id: null,
      flags: 0,
      recipients: [{ id: userId, username: `user${userId}`, discriminator: '0', avatar: null }],
    };
  }

  #post(channelId: string, body: Record<string, unknown>): FakeResponse {
    if (this.noAccess.has(channelId)) return DISCORD_ERRORS.missingAccess;
    const recipient = [...this.dmChannels].find(([, id]) => id === channelId)?.[0];
    if (recipient && this.closedDms.has(recipient)) return DISCORD_ERRORS.cannotMessageUser;
    // enforce_nonce: the message this author created with the same nonce comes back, no new one is made.
    const nonce = body.enforce_nonce === true && body.nonce !== undefined ? String(body.nonce) : null;
    const earlier = nonce === null ? undefined : this.#byNonce.get(`${channelId} ${nonce}`);
    if (earlier) return { status: 200, body: earlier };
    const messages = this.posted.get(channelId) ?? [];
    messages.push(body);
    this.posted.set(channelId, messages);
    const created = fakeMessage(this.ids, channelId, this.bot, body);
    if (nonce !== null) this.#byNonce.set(`${channelId} ${nonce}`, created);
    return { status: 200, body: created };
  }
}
