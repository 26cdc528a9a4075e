import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the bot sent it: form fields as strings (`blocks` is JSON text). */
export type SlackCall = {
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  readonly token: string | null;
  readonly at: number;
};

/** One POST to a response_url (JSON, as Bolt's `respond()` sends it). */
export type ResponseUrlPost = { readonly id: string; readonly body: Record<string, unknown>; readonly at: number };

/** A scripted answer for the next call of a method: a Slack error, an HTTP status (429 with Retry-After), or `pass` to answer normally. */
export type ScriptedAnswer = { readonly pass?: boolean; readonly error?: string; readonly status?: number; readonly retryAfter?: number };

/** A message the fake accepted. */
export type PostedMessage = { readonly channel: string; readonly ts: string; readonly threadTs: string | null; readonly call: SlackCall };

export type FakeUser = {
  readonly id: string;
  readonly name?: string;
  readonly is_admin?: boolean;
  readonly is_owner?: boolean;
  readonly tz?: string;
  readonly deleted?: boolean;
};

const BOT = { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001', team: 'Systems Lab', user: 'lmsys-papers', url: 'https://systems-lab.slack.com/' };

/**
 * A local Slack Web API: form-encoded POSTs to `/api/<method>` answered like Slack answers them,
 * every call recorded. It knows auth.test, apps.connections.open, chat.postMessage,
 * chat.postEphemeral, conversations.open and users.info; channels can be made missing or closed
 * to the bot, users inactive, and with `perChannelIntervalMs` it enforces Slack's one message per
 * second per channel with 429 + Retry-After. `/respond/<id>` stands in for response_urls.
 */
export class FakeSlackApi extends EventEmitter {
  readonly calls: SlackCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  /** Messages chat.postMessage accepted, in order. */
  readonly posted: PostedMessage[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly missingChannels = new Set<string>();
  readonly channelsWithoutBot = new Set<string>();
  readonly inactiveUsers = new Set<string>();
  /** Slack's per-channel limit; null = unlimited. */
  perChannelIntervalMs: number | null = null;
  /** What apps.connections.open hands out (the Socket Mode fake's URL). */
  socketUrl: string | null = null;
  /** 429s answered because of `perChannelIntervalMs` (scripted ones are not counted). */
  rateLimitedCount = 0;
  readonly #scripts = new Map<string, ScriptedAnswer[]>();
  readonly #lastPostAt = new Map<string, number>();
  readonly #server = createServer((request, response) => void this.#handle(request, response));
  #base = '';
  #ts = 1_766_000_000;

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

  responseUrl(id: string): string {
    return `${this.#base}/respond/${id}`;
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

  /** Resolves with the first `count` posts to response_urls. */
  waitForResponses(count: number): Promise<ResponseUrlPost[]> {
    return this.#waitFor('response', () => (this.responses.length >= count ? this.responses.slice(0, count) : undefined));
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
    if (url.pathname.startsWith('/respond/')) {
      this.responses.push({ id: url.pathname.slice('/respond/'.length), body: JSON.parse(body) as Record<string, unknown>, at: Date.now() });
      this.emit('response');
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!url.pathname.startsWith('/api/') || request.method !== 'POST') {
      response.writeHead(404).end('not found');
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const params = Object.fromEntries(new URLSearchParams(body));
    const authorization = request.headers.authorization ?? '';
    const call: SlackCall = { method, params, token: authorization.startsWith('Bearer ') ? authorization.slice(7) : null, at: Date.now() };
    this.calls.push(call);
    const [status, answer, headers] = this.#answer(call);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(answer));
    this.emit('call', call);
  }

  #answer(call: SlackCall): [number, Record<string, unknown>, Record<string, string>] {
    const scripted = this.#scripts.get(call.method)?.shift();
    if (scripted && !scripted.pass) {
      const headers: Record<string, string> = scripted.retryAfter === undefined ? {} : { 'retry-after': String(scripted.retryAfter) };
      return [scripted.status ?? 200, { ok: false, error: scripted.error ?? (scripted.status === 429 ? 'ratelimited' : 'internal_error') }, headers];
    }
    switch (call.method) {
      case 'auth.test':
        return ok({ ...BOT });
      case 'apps.connections.open':
        return this.socketUrl ? ok({ url: this.socketUrl }) : fail('internal_error');
      case 'chat.postMessage':
        return this.#postMessage(call);
      case 'chat.postEphemeral':
        return this.#inChannel(call.params.channel ?? '') ?? ok({ message_ts: this.#nextTs() });
      case 'conversations.open':
        return this.#openDirect(call.params.users ?? '');
      case 'users.info': {
        const user = this.users.get(call.params.user ?? '');
        return user ? ok({ user: { name: user.id.toLowerCase(), ...user } }) : fail('user_not_found');
      }
      default:
        return fail('unknown_method');
    }
  }

  #postMessage(call: SlackCall): [number, Record<string, unknown>, Record<string, string>] {
    const channel = call.params.channel ?? '';
    const refused = this.#inChannel(channel);
    if (refused) return refused;
    if (this.perChannelIntervalMs !== null) {
      const last = this.#lastPostAt.get(channel);
      const elapsed = last === undefined ? Number.POSITIVE_INFINITY : call.at - last;
      if (elapsed < this.perChannelIntervalMs) {
        this.rateLimitedCount += 1;
        return [429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(Math.max(1, Math.ceil((this.perChannelIntervalMs - elapsed) / 1000))) }];
      }
      this.#lastPostAt.set(channel, call.at);
    }
    const ts = this.#nextTs();
    this.posted.push({ channel, ts, threadTs: call.params.thread_ts ?? null, call });
    return ok({
      channel,
      ts,
      message: { type: 'message', text: call.params.text, ts, ...(call.params.thread_ts ? { thread_ts: call.params.thread_ts } : {}) },
    });
  }

  #inChannel(channel: string): [number, Record<string, unknown>, Record<string, string>] | null {
    if (this.missingChannels.has(channel)) return fail('channel_not_found');
    if (this.channelsWithoutBot.has(channel)) return fail('not_in_channel');
    return null;
  }

  #openDirect(users: string): [number, Record<string, unknown>, Record<string, string>] {
    if (!users || users.includes(',')) return fail('invalid_arguments');
    if (this.inactiveUsers.has(users)) return fail('account_inactive');
    if (users.startsWith('B')) return fail('cannot_dm_bot');
    return ok({ channel: { id: `D${users.slice(1)}` } });
  }

  #nextTs(): string {
    this.#ts += 1;
    return `${this.#ts}.000100`;
  }
}

function ok(fields: Record<string, unknown>): [number, Record<string, unknown>, Record<string, string>] {
  return [200, { ok: true, ...fields }, {}];
}

function fail(error: string): [number, Record<string, unknown>, Record<string, string>] {
  return [200, { ok: false, error }, {}];
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
