import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { webApi } from '@slack/bolt';
import type { Config } from '../../config.ts';
import type { Messenger } from '../../domain/delivery.ts';
import type { Logger } from '../../log.ts';
import type { CommandRunner } from './command-port.ts';
import { type BotIdentity, createApiClient, createSlackApp } from './create-slack-app.ts';
import { InFlight } from './in-flight.ts';
import { registerListeners } from './register-listeners.ts';
import { createSlackMessenger } from './slack-messenger.ts';
import { slackSettings } from './slack-settings.ts';
import { createSlackUsers } from './slack-users.ts';

const SHUTDOWN_GRACE_MS = 10_000;

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
};

/**
 * Starts the Slack side of `lmsys-papers serve` when SLACK_BOT_TOKEN is set; null otherwise.
 * Checks the token first (auth.test), so a wrong token stops start-up with Slack's reason.
 */
export async function startSlack(config: Config, log: Logger, options: StartSlackOptions): Promise<SlackHandle | null> {
  const checked = await checkedClient(config, log, options.clientOptions);
  if (!checked) return null;
  const { settings, client, identity } = checked;
  const slackLog = log.child({ module: 'slack' });
  const app = createSlackApp(settings, identity, log, options.clientOptions);
  const inFlight = new InFlight();
  registerListeners(app, { runner: options.runner, users: createSlackUsers({ client, adminUsers: settings.adminUsers, log }), log, inFlight });
  let port: number | null = null;
  if (settings.mode === 'socket') {
    await app.start();
  } else {
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
    messenger: createSlackMessenger({ client, log }),
    port,
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}

/**
 * Slack for a one-shot `lmsys-papers digest`: the messenger only, with no Socket Mode connection or
 * HTTP listener (a running `serve` may hold those). The token is checked first, as in `startSlack`.
 */
export async function startSlackMessenger(config: Config, log: Logger, clientOptions?: webApi.WebClientOptions): Promise<Messenger | null> {
  const checked = await checkedClient(config, log, clientOptions);
  return checked ? createSlackMessenger({ client: checked.client, log }) : null;
}

/** The settings, our own API client and who the token belongs to; null when Slack is not configured. */
async function checkedClient(config: Config, log: Logger, clientOptions?: webApi.WebClientOptions) {
  const settings = slackSettings(config);
  if (!settings) return null;
  const client = createApiClient(settings, log, clientOptions);
  return { settings, client, identity: await whoAmI(client) };
}

async function whoAmI(client: webApi.WebClient): Promise<BotIdentity> {
  try {
    const answer = await client.auth.test();
    return { botUserId: answer.user_id ?? '', botId: answer.bot_id ?? '', teamName: answer.team ?? null };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new Error(`Slack refused SLACK_BOT_TOKEN (auth.test: ${code})`, { cause: error });
  }
}
