import type { App, webApi } from '@slack/bolt';
import { isTransientSlackCode } from './classify-slack-error.ts';
import { stoppableFetch, whenStopped } from './stoppable.ts';

/** What the Socket Mode client's own Web API calls (apps.connections.open) get, and what they tell us. */
export type SocketModeWatch = {
  readonly clientOptions: webApi.WebClientOptions;
  /** Resolves with Slack's error code when apps.connections.open turns the app-level token away during start-up. */
  readonly refused: Promise<string>;
  /** Start-up is over: later answers (reconnects) are the SDK's to handle. */
  started(): void;
};

/** The SDK's own default for apps.connections.open (it reconnects through it), plus a way out on stop. */
type RetryConfig = webApi.RetryOptions & { onFailedAttempt(error: Error): void };

/**
 * The Socket Mode client retries apps.connections.open for ever unless Slack's answer is one of a
 * few it knows; `not_allowed_token_type` (a bot token in SLACK_APP_TOKEN) and `missing_scope` (an
 * app-level token without connections:write) are not among them, so start-up would hang. We watch
 * its answers through its fetch: a refusal is reported at once, and on stop its requests and
 * retries end (retries of a request that failed for a passing reason keep the SDK's pace).
 */
export function watchSocketModeStart(signal: AbortSignal): SocketModeWatch {
  let report: (code: string) => void = () => undefined;
  const refused = new Promise<string>((resolve) => {
    report = resolve;
  });
  let starting = true;
  let refusal: string | null = null;
  const stoppable = stoppableFetch(signal, 0, globalThis.fetch);
  const watched: webApi.FetchFunction = async (url, init) => {
    const response = await stoppable(url, init);
    if (!starting || !String(url).endsWith('apps.connections.open')) return response;
    const answer = (await response
      .clone()
      .json()
      .catch(() => null)) as { ok?: boolean; error?: string } | null;
    if (answer?.ok !== false || !answer.error || isTransientSlackCode(answer.error)) return response;
    refusal = answer.error;
    report(refusal);
    // Handed to the SDK as a failed request, which it gives up on at once, instead of Slack's answer,
    // after which it would wait and ask again.
    throw new Error(`Slack refused SLACK_APP_TOKEN (${refusal})`);
  };
  const retryConfig: RetryConfig = {
    retries: 100,
    factor: 1.3,
    onFailedAttempt(error) {
      if (signal.aborted || refusal) throw error;
    },
  };
  return {
    clientOptions: { fetch: watched, retryConfig, timeout: 30_000 },
    refused,
    started() {
      starting = false;
    },
  };
}

const APP_TOKEN_HINTS: Record<string, string> = {
  not_allowed_token_type: 'SLACK_APP_TOKEN must be the app-level token (xapp-…, Basic Information → App-Level Tokens), not the bot token',
  missing_scope: 'the app-level token lacks the connections:write scope: add it under Basic Information → App-Level Tokens',
  invalid_auth: 'the app-level token is not valid: generate one under Basic Information → App-Level Tokens (scope connections:write)',
  not_authed: 'no app-level token was sent',
  token_revoked: 'the app-level token was revoked: generate a new one under Basic Information → App-Level Tokens',
  account_inactive: 'the app or its workspace is deactivated',
};

/** The error that stops start-up when Slack turns SLACK_APP_TOKEN away. */
export function appTokenRefused(code: string): Error {
  return new Error(`Slack refused SLACK_APP_TOKEN (apps.connections.open: ${code}): ${APP_TOKEN_HINTS[code] ?? 'see the Slack section of the README'}`);
}

/**
 * Opens the Socket Mode connection: `connected` once Slack said hello, `stopped` when the stop
 * signal came first (the app is stopped again, nothing left running), and an error naming
 * SLACK_APP_TOKEN when Slack refused it.
 */
export async function connectSocketMode(app: App, watch: SocketModeWatch, signal?: AbortSignal): Promise<'connected' | 'stopped'> {
  const starting = app.start().then(
    () => 'connected' as const,
    (error: unknown) => {
      const code = (error as { data?: { error?: string } }).data?.error;
      throw code ? appTokenRefused(code) : error;
    },
  );
  const refusing = watch.refused.then((code): never => {
    throw appTokenRefused(code);
  });
  // Whichever loses the race may settle later (a refusal during a reconnect hours on): never unhandled.
  starting.catch(() => undefined);
  refusing.catch(() => undefined);
  try {
    const outcome = await Promise.race([starting, refusing, whenStopped(signal).then(() => 'stopped' as const)]);
    if (outcome === 'stopped') await app.stop();
    else watch.started();
    return outcome;
  } catch (error) {
    await app.stop().catch(() => undefined);
    throw error;
  }
}
