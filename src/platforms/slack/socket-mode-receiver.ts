import { type App, webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import { appTokenRefused } from './app-token-refused.ts';
import { classifySlackError } from './classify-slack-error.ts';
import { afterEnd, afterFailedAttempt, type ConnectionEnd, RECONNECT_TIMING, type ReconnectTiming } from './reconnect-policy.ts';
import { openConnection, type SocketModeConnection } from './socket-mode-connection.ts';
import { sleepUnlessStopped, stoppableFetch } from './stoppable.ts';
import { untilStopped } from './until-stopped.ts';

type SdkInit = NonNullable<Parameters<webApi.FetchFunction>[1]>;
type SdkAnswer = Awaited<ReturnType<webApi.FetchFunction>>;

export type SocketModeReceiverOptions = {
  readonly appToken: string;
  readonly apiUrl: string;
  readonly log: Logger;
  /** The stop signal: start-up, waits and reconnections end when it aborts. */
  readonly signal?: AbortSignal;
  /** Tests: shorter waits (RECONNECT_TIMING otherwise). */
  readonly timing?: Partial<ReconnectTiming>;
};

/** `connected` once Slack said hello; `stopped` when the stop signal came first (nothing left open). */
export type SocketModeStart = 'connected' | 'stopped';

/** A Bolt `Receiver` whose start says whether it connected. */
export type KeptSocketModeReceiver = {
  init(app: App): void;
  start(): Promise<SocketModeStart>;
  stop(): Promise<void>;
};

/**
 * Bolt's receiver for Socket Mode, keeping one connection open. @slack/socket-mode 3.1.0 waits
 * 5 s (its client ping timeout) before reconnecting after every recycle; here the SDK's
 * reconnection is off and each connection is opened by us (socket-mode-connection.ts): after
 * Slack's `disconnect` the next ticket is asked for at once, while the SDK is still closing the
 * old connection; failures back off (reconnect-policy.ts), honour Retry-After, and end with the
 * stop signal. At start-up a token Slack refuses stops with an error naming SLACK_APP_TOKEN;
 * anything passing (Slack failing, unreachable, no hello) is retried until it works or the stop.
 */
export function keptSocketModeReceiver(options: SocketModeReceiverOptions): KeptSocketModeReceiver {
  const timing: ReconnectTiming = { ...RECONNECT_TIMING, ...options.timing };
  const log = options.log.child({ module: 'slack' });
  const stopping = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopping.signal]) : stopping.signal;
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: options.apiUrl,
    // The waits between attempts are ours (they end on stop); a 429 is reported with its Retry-After.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 30_000,
    fetch: stoppableFetch<SdkInit, SdkAnswer>(signal, 0, globalThis.fetch),
  };
  const open = new Set<SocketModeConnection>();
  let app: App | null = null;
  let keeping: Promise<void> = Promise.resolve();

  const connect = async (): Promise<SocketModeConnection | null> => {
    if (!app) throw new Error('the Socket Mode receiver was started before Bolt initialised it');
    const connection = await openConnection({
      app,
      appToken: options.appToken,
      clientOptions,
      log: options.log,
      helloTimeoutMs: timing.helloTimeoutMs,
      signal,
    });
    if (!connection) return null;
    open.add(connection);
    connection.closed.then(() => open.delete(connection));
    return connection;
  };
  /** One try: the connection (null: stopped) or why it failed. */
  const attempt = (): Promise<Attempt> =>
    connect().then(
      (connection) => ({ connection }),
      (error: unknown) => ({ failure: describeFailure(error) }),
    );

  /** Reopens the connection each time it ends, until the stop. */
  const keepConnected = async (first: SocketModeConnection): Promise<void> => {
    let current = first;
    let failures = 0;
    for (;;) {
      const end = await untilStopped(current.ended, signal);
      if (end === 'stopped') return;
      const endedAt = performance.now();
      let next = afterEnd(end, failures, timing);
      logEnd(log, end, next.waitMs);
      for (;;) {
        await sleepUnlessStopped(next.waitMs, signal);
        if (signal.aborted) return;
        const tried = await attempt();
        if ('connection' in tried) {
          if (!tried.connection) return;
          current = tried.connection;
          failures = next.failures;
          log.info({ reason: end.reason, gapMs: Math.round(performance.now() - endedAt), failures }, 'slack reconnected');
          break;
        }
        if (signal.aborted) return;
        const { code, reason, refused, retryAfterMs } = tried.failure;
        next = afterFailedAttempt(next.failures, timing, retryAfterMs);
        // A refusal hours after start-up (a revoked token) is retried too, at the slowest pace, and logged as an error.
        log[refused ? 'error' : 'warn']({ code, reason, failures: next.failures, retryInMs: next.waitMs }, 'slack reconnect failed; retrying');
      }
    }
  };

  return {
    init(bolt: App) {
      app = bolt;
    },
    async start(): Promise<SocketModeStart> {
      let failures = 0;
      for (;;) {
        const tried = await attempt();
        if ('connection' in tried) {
          if (!tried.connection) return 'stopped';
          keeping = keepConnected(tried.connection).catch((error: unknown) => log.error({ err: error }, 'slack reconnection stopped by a bug'));
          return 'connected';
        }
        if (signal.aborted) return 'stopped';
        const { code, reason, refused, retryAfterMs } = tried.failure;
        if (refused) throw appTokenRefused(code);
        let waitMs: number;
        ({ failures, waitMs } = afterFailedAttempt(failures, timing, retryAfterMs));
        log.warn({ code, reason, failures, retryInMs: waitMs }, 'slack connection failed; retrying');
        await sleepUnlessStopped(waitMs, signal);
        if (signal.aborted) return 'stopped';
      }
    },
    async stop() {
      stopping.abort();
      await keeping;
      await Promise.all([...open].map((connection) => connection.close()));
    },
  };
}

type ConnectFailure = { readonly code: string; readonly reason: string; readonly refused: boolean; readonly retryAfterMs?: number };
type Attempt = { readonly connection: SocketModeConnection | null } | { readonly failure: ConnectFailure };

/**
 * Why an attempt failed. `refused`: apps.connections.open turned the app-level token away (a
 * platform error that is not a passing `internal_error`); the reason then says what to fix.
 */
function describeFailure(error: unknown): ConnectFailure {
  const failure = classifySlackError(error);
  const refused = (error as { code?: string }).code === webApi.ErrorCode.PlatformError && failure.permanent;
  const reason = refused ? appTokenRefused(failure.code).message : failure.reason;
  return { code: failure.code, reason, refused, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) };
}

function logEnd(log: Logger, end: ConnectionEnd, waitMs: number): void {
  const detail = { reason: end.reason, upMs: Math.round(end.upMs), retryInMs: waitMs };
  if (end.kind === 'recycled') log.info(detail, 'slack connection recycled; reconnecting');
  else log.warn(detail, 'slack connection lost; reconnecting');
}
