import { once } from 'node:events';
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
    print(io.stderr, 'lmsys-papers is running; Ctrl-C stops it');
    if (!signal.aborted) await once(signal, 'abort');
    app.log.info('lmsys-papers stopping');
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
