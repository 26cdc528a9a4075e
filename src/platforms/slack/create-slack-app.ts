import { App, webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import { boltLogger } from './bolt-logger.ts';
import type { ReconnectTiming } from './reconnect-policy.ts';
import type { SlackSettings } from './slack-settings.ts';
import { type KeptSocketModeReceiver, keptSocketModeReceiver } from './socket-mode-receiver.ts';
import { stoppableFetch } from './stoppable.ts';

/** After the stop signal, how long a Web API request already sent may take to finish (a send under way is recorded). */
export const STOP_GRACE_MS = 3000;

type SdkInit = NonNullable<Parameters<webApi.FetchFunction>[1]>;
type SdkAnswer = Awaited<ReturnType<webApi.FetchFunction>>;

export type BotIdentity = { readonly botUserId: string; readonly botId: string; readonly teamName: string | null };

/**
 * A client for our own calls (auth.test, users.info, the messenger). It throws on 429 instead of
 * pausing every request for Retry-After, as the SDK's default does: the messenger paces per
 * channel and retries itself, and a slow users.info must not hold up a reply. With a stop signal,
 * requests still running STOP_GRACE_MS after it are abandoned.
 */
export function createApiClient(settings: SlackSettings, log: Logger, clientOptions: webApi.WebClientOptions = {}, signal?: AbortSignal): webApi.WebClient {
  return new webApi.WebClient(settings.botToken, {
    slackApiUrl: settings.apiUrl,
    logger: boltLogger(log),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 30_000,
    ...clientOptions,
    ...(signal ? { fetch: stoppableFetch<SdkInit, SdkAnswer>(signal, STOP_GRACE_MS, clientOptions.fetch ?? globalThis.fetch) } : {}),
  });
}

export type SlackApp = {
  readonly app: App;
  /** Socket Mode: the receiver that opens (and reopens) the connection; null in HTTP mode. */
  readonly socketMode: KeptSocketModeReceiver | null;
};

export type SlackAppOptions = {
  readonly clientOptions?: webApi.WebClientOptions;
  /** Socket Mode: start-up, reconnect waits and reconnections end when it aborts. */
  readonly signal?: AbortSignal;
  /** Tests: shorter reconnect waits. */
  readonly reconnect?: Partial<ReconnectTiming>;
};

/**
 * The Bolt app in Socket Mode (a WebSocket Slack gives us through apps.connections.open, no public
 * URL; our own receiver keeps it open, see socket-mode-receiver.ts) or HTTP mode (Slack POSTs
 * signed requests to /slack/events). We already called auth.test, so Bolt is told who the bot is
 * instead of asking again.
 */
export function createSlackApp(settings: SlackSettings, identity: BotIdentity, log: Logger, options: SlackAppOptions = {}): SlackApp {
  const common = {
    token: settings.botToken,
    botId: identity.botId,
    botUserId: identity.botUserId,
    tokenVerificationEnabled: false,
    logger: boltLogger(log),
    clientOptions: { slackApiUrl: settings.apiUrl, ...options.clientOptions },
  };
  if (settings.mode === 'socket') {
    const socketMode = keptSocketModeReceiver({
      appToken: settings.appToken,
      apiUrl: settings.apiUrl,
      log,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.reconnect ? { timing: options.reconnect } : {}),
    });
    // A receiver of our own, so Bolt's `socketMode` flag stays off (it would insist on its SocketModeReceiver).
    return { app: new App({ ...common, receiver: socketMode }), socketMode };
  }
  return { app: new App({ ...common, signingSecret: settings.signingSecret, port: settings.httpPort }), socketMode: null };
}
