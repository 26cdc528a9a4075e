import { once } from 'node:events';
import type { Messenger } from '../domain/delivery.ts';
import { type CliCommand, print } from './cli-command.ts';
import type { RunningPart } from './serve-part.ts';
import { SERVE_PARTS } from './serve-parts.ts';

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
    const requestStop = () => stop.abort();
    const signal = io.signal ?? stopSignal();
    if (signal.aborted) requestStop();
    signal.addEventListener('abort', requestStop, { once: true });
    const running: { name: string; part: RunningPart }[] = [];
    const messengers: Messenger[] = [];
    try {
      for (const part of SERVE_PARTS) {
        const started = await part.start({ app, io, signal: stop.signal, requestStop, messengers });
        if (!started) continue;
        running.push({ name: part.name, part: started });
        if (started.messenger) messengers.push(started.messenger);
      }
      app.log.info({ database: app.db.path, parts: running.map((entry) => entry.name) }, 'lmsys-papers serving');
      print(io.stderr, `lmsys-papers is running (${running.map((entry) => entry.name).join(', ') || 'archive only'}); Ctrl-C stops it`);
      if (!stop.signal.aborted) await once(stop.signal, 'abort');
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

function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return controller.signal;
}
