import { once } from 'node:events';
import { consoleWanted, runConsole } from '../platforms/console/start-console.ts';
import { type CliCommand, print } from './cli-command.ts';

/**
 * The long-running process. For now it opens the archive and waits; the scheduler, the chat
 * adapters and the web server attach here as they land.
 */
export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'lmsys-papers serve',
  summary: 'run the bot: scheduler, chat adapters, web page (Ctrl-C or SIGTERM stops it)',
  async run(_args, app, io) {
    const signal = io.signal ?? stopSignal();
    app.log.info({ database: app.db.path }, 'lmsys-papers serving');
    // With no chat platform configured, the person at the terminal gets the commands; leaving it stops the server.
    const stop = new AbortController();
    const stopAll = () => stop.abort();
    if (signal.aborted) stopAll();
    signal.addEventListener('abort', stopAll, { once: true });
    const repl = consoleWanted(app.config, io.stdin) ? runConsole(app, io, { interactive: true, signal: stop.signal }).finally(stopAll) : null;
    repl?.catch(() => undefined); // a failure is rethrown by the await below, not reported as unhandled
    print(
      io.stderr,
      repl ? 'lmsys-papers is running with the console (no Slack or Discord token set); Ctrl-D or quit stops it' : 'lmsys-papers is running; Ctrl-C stops it',
    );
    if (!stop.signal.aborted) await once(stop.signal, 'abort');
    app.log.info('lmsys-papers stopping');
    await repl;
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
