import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, webApi } from '@slack/bolt';
import type { Config } from '../../config.ts';
import type { Messenger } from '../../domain/delivery.ts';
import type { Logger } from '../../log.ts';
import { classifySlackError } from './classify-slack-error.ts';
import type { CommandRunner } from './command-port.ts';
import { type BotIdentity, createApiClient, createSlackApp, STOP_GRACE_MS } from './create-slack-app.ts';
import { createDigestPapers } from './digest-papers.ts';
import { InFlight } from './in-flight.ts';
import type { ReconnectTiming } from './reconnect-policy.ts';
import { registerListeners } from './register-listeners.ts';
import { createSlackMessenger } from './slack-messenger.ts';
import { slackSettings } from './slack-settings.ts';
import { createSlackUsers } from './slack-users.ts';
import type { KeptSocketModeReceiver, SocketModeStart } from './socket-mode-receiver.ts';

/** On stop, how long commands already acknowledged may take to answer (stop must end `serve` within 5 s). */
const SHUTDOWN_GRACE_MS = STOP_GRACE_MS;

export type SlackHandle = {
  readonly mode: 'socket' | 'http';
  readonly identity: BotIdentity;
  /** The channel digest poster and DM sender for the delivery job. */
  readonly messenger: Messenger;
  /** HTTP mode: the port Bolt listens on. */
  readonly port: number | null;
  stop(): Promise<void>;
};

export type StartSlackOptions = {
  readonly runner: CommandRunner;
  /** HTTP mode: where to listen (default: every interface on SLACK_HTTP_PORT). */
  readonly listen?: { readonly port: number; readonly host?: string };
  /** Tests: e.g. `retryConfig: { retries: 0 }` so a fault shows at once. */
  readonly clientOptions?: webApi.WebClientOptions;
  /** The stop signal: start-up gives up (null) and retries and waits end when it aborts. */
  readonly signal?: AbortSignal;
  /** Tests: shorter Socket Mode reconnect waits. */
  readonly reconnect?: Partial<ReconnectTiming>;
};

/**
 * Starts the Slack side of `lmsys-papers serve` when SLACK_BOT_TOKEN is set; null otherwise, or
 * when the stop signal came while it was starting. Checks the bot token first (auth.test) and, in
 * Socket Mode, that Slack takes the app-level token, so a wrong one stops start-up with Slack's
 * reason instead of a connection retried for ever.
 */
export async function startSlack(config: Config, log: Logger, options: StartSlackOptions): Promise<SlackHandle | null> {
  const { signal } = options;
  const checked = await checkedClient(config, log, options.clientOptions, signal);
  if (!checked) return null;
  const { settings, client, identity } = checked;
  const slackLog = log.child({ module: 'slack' });
  const { app, socketMode } = createSlackApp(settings, identity, log, {
    ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
    ...(signal ? { signal } : {}),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
  });
  const inFlight = new InFlight();
  registerListeners(app, {
    runner: options.runner,
    users: createSlackUsers({ client, adminUsers: settings.adminUsers, log }),
    log,
    inFlight,
    client,
    botUserId: identity.botUserId,
    digestPapers: createDigestPapers(client),
  });
  let port: number | null = null;
  if (socketMode) {
    if ((await startSocketMode(app, socketMode)) === 'stopped') {
      slackLog.info({ mode: settings.mode }, 'slack bot not started: stopping');
      return null;
    }
  } else if (settings.mode === 'http') {
    const listen = options.listen ?? { port: settings.httpPort };
    const server = (await app.start(listen)) as Server;
    port = (server.address() as AddressInfo).port;
  }
  slackLog.info({ mode: settings.mode, port, botUserId: identity.botUserId, team: identity.teamName }, 'slack bot started');
  let stopping: Promise<void> | null = null;
  const stop = async () => {
    // Take no new commands, then let acknowledged ones answer before the archive closes.
    await app.stop();
    await inFlight.settle(SHUTDOWN_GRACE_MS);
    slackLog.info({ unfinished: inFlight.size }, 'slack bot stopped');
  };
  return {
    mode: settings.mode,
    identity,
    messenger: createSlackMessenger({ client, log, ...(signal ? { signal } : {}) }),
    port,
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}

/** Opens the Socket Mode connection; on a refusal (an error naming SLACK_APP_TOKEN) nothing is left running. */
async function startSocketMode(app: App, receiver: KeptSocketModeReceiver): Promise<SocketModeStart> {
  try {
    return await receiver.start();
  } catch (error) {
    await app.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Slack for a one-shot `lmsys-papers digest`: the messenger only, with no Socket Mode connection or
 * HTTP listener (a running `serve` may hold those). The token is checked first, as in `startSlack`.
 */
export async function startSlackMessenger(
  config: Config,
  log: Logger,
  clientOptions?: webApi.WebClientOptions,
  signal?: AbortSignal,
): Promise<Messenger | null> {
  const checked = await checkedClient(config, log, clientOptions, signal);
  return checked ? createSlackMessenger({ client: checked.client, log, ...(signal ? { signal } : {}) }) : null;
}

/** The settings, our own API client and who the token belongs to; null when Slack is not configured or the stop came first. */
async function checkedClient(config: Config, log: Logger, clientOptions: webApi.WebClientOptions | undefined, signal: AbortSignal | undefined) {
  const settings = slackSettings(config);
  if (!settings) return null;
  const client = createApiClient(settings, log, clientOptions, signal);
  const identity = await whoAmI(client, settings.apiUrl, signal);
  return identity ? { settings, client, identity } : null;
}

/**
 * auth.test: who the bot token belongs to. Slack refusing the token, Slack unreachable and Slack
 * failing are three different messages: only the first is about SLACK_BOT_TOKEN.
 */
async function whoAmI(client: webApi.WebClient, apiUrl: string, signal: AbortSignal | undefined): Promise<BotIdentity | null> {
  try {
    const answer = await client.auth.test();
    return { botUserId: answer.user_id ?? '', botId: answer.bot_id ?? '', teamName: answer.team ?? null };
  } catch (error) {
    // A request cut short by the stop is no news; a refusal that came anyway still is.
    if (signal?.aborted && classifySlackError(error).code === 'request_error') return null;
    throw new Error(describeAuthFailure(error, apiUrl), { cause: error });
  }
}

function describeAuthFailure(error: unknown, apiUrl: string): string {
  const failure = classifySlackError(error);
  if (failure.code === 'request_error')
    return `${failure.reason.replace('cannot reach Slack', `cannot reach Slack at ${apiUrl}`)}; check SLACK_API_URL and the network`;
  if (failure.code.startsWith('http_')) return `Slack answered HTTP ${failure.code.slice(5)} to auth.test; try again later (SLACK_API_URL is ${apiUrl})`;
  if (failure.code === 'unexpected') return `Slack's answer to auth.test could not be read (${failure.reason})`;
  if (!failure.permanent) return `Slack could not answer auth.test now (${failure.code}); try again later`;
  return `Slack refused SLACK_BOT_TOKEN (auth.test: ${failure.code})`;
}
