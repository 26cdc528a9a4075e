import type { App } from '../app.ts';
import type { Messenger } from '../domain/delivery.ts';
import { whenStopped } from '../stopping.ts';
import { type CliCommand, print } from './cli-command.ts';
import type { RunningPart, ServePart, StartContext } from './serve-part.ts';
import { SERVE_PARTS } from './serve-parts.ts';
import { warnIfReadOnly } from './serve-warnings.ts';

/** The long-running process: starts every configured part of SERVE_PARTS and stops them on SIGTERM/SIGINT. */
export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'lmsys-papers serve',
  summary: 'run the bot: scheduler, chat adapters, web page (Ctrl-C or SIGTERM stops it)',
  help: `
Runs the bot until Ctrl-C or SIGTERM (\`npm start\` runs it): the web page, feeds and JSON API on
WEB_PORT; Slack when SLACK_BOT_TOKEN is set; Discord when DISCORD_TOKEN and DISCORD_APPLICATION_ID
are; the daily run on DIGEST_CRON (off: none). With no chat token and a terminal on stdin it also
runs the console: the slash commands at a \`papers>\` prompt (\`quit\` or Ctrl-D stops the bot);
its log then goes to lmsys-papers.log beside the archive, and errors also to the terminal.

It takes no options: settings come from the environment and .env (see .env.example).`,
  options: {},
  maxPositionals: 0,
  async run(_args, app, io) {
    const stop = new AbortController();
    // run-cli turns SIGTERM/SIGINT into io.signal (and the app's); a part may stop the server too (the
    // console's quit), and that stop must reach the app's waits (an arXiv backoff in the daily run) as well.
    const requestStop = () => {
      stop.abort();
      io.requestStop?.();
    };
    const signal = io.signal ?? app.signal;
    if (signal.aborted) requestStop();
    signal.addEventListener('abort', requestStop, { once: true });
    await warnIfReadOnly(app, io);
    const running: { name: string; part: RunningPart }[] = [];
    const messengers: Messenger[] = [];
    try {
      for (const part of SERVE_PARTS) {
        const started = await startUnlessStopped(part, { app, io, signal: stop.signal, requestStop, messengers }, app);
        if (!started) continue;
        running.push({ name: part.name, part: started });
        if (started.messenger) messengers.push(started.messenger);
      }
      if (!stop.signal.aborted) {
        app.log.info({ database: app.db.path, parts: running.map((entry) => entry.name) }, 'lmsys-papers serving');
        print(io.stderr, `lmsys-papers is running (${running.map((entry) => entry.name).join(', ') || 'archive only'}); Ctrl-C stops it`);
        await whenStopped(stop.signal);
      }
      app.log.info('lmsys-papers stopping');
    } finally {
      requestStop();
      for (const entry of running.reverse()) {
        await entry.part.stop().catch((error: unknown) => app.log.error({ err: error, part: entry.name }, 'part failed to stop cleanly'));
      }
    }
    return 0;
  },
};

/** How long a part still starting when the stop comes may take to finish (or fail) before serve gives up on it. */
export const START_GRACE_MS = 1000;

/**
 * A part still starting when the server is told to stop (a chat platform that keeps refusing, an
 * unreachable gateway) must not hold the stop: serve waits START_GRACE_MS for it — a start about to
 * succeed or fail (a refused token) ends normally — then gives up. If it does finish starting later,
 * it is stopped at once; if its start fails after that, it is only logged.
 */
export async function startUnlessStopped(part: ServePart, context: StartContext, app: App): Promise<RunningPart | null> {
  const starting = part.start(context);
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const givenUp = new Promise<'stopped'>((resolve) => {
    onStop = () => {
      timer = setTimeout(() => resolve('stopped'), START_GRACE_MS);
    };
    if (context.signal.aborted) onStop();
    else context.signal.addEventListener('abort', onStop, { once: true });
  });
  let outcome: RunningPart | null | 'stopped';
  try {
    outcome = await Promise.race([starting, givenUp]);
  } finally {
    clearTimeout(timer);
    if (onStop) context.signal.removeEventListener('abort', onStop);
  }
  if (outcome !== 'stopped') return outcome;
  app.log.warn({ part: part.name, graceMs: START_GRACE_MS }, 'stopped while this part was still starting; not waiting for it');
  starting.then(
    (late) => late?.stop().catch((error: unknown) => app.log.error({ err: error, part: part.name }, 'part failed to stop cleanly')),
    (error: unknown) => app.log.debug({ err: error, part: part.name }, 'part failed to start after the stop'),
  );
  return null;
}
