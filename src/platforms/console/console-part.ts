import { consoleLogFile } from '../../cli/command-logger.ts';
import type { ServePart } from '../../cli/serve-part.ts';
import { consoleWanted, runConsole } from './start-console.ts';

/** With no chat platform configured, the person at the terminal gets the commands; leaving it stops the server. */
export const consolePart: ServePart = {
  name: 'console',
  async start({ app, io, signal, requestStop, mode }) {
    if (mode === 'deliver' || !consoleWanted(app.config, io.stdin)) return null;
    const repl = runConsole(app, io, { interactive: true, signal, logFile: consoleLogFile(app.config), guard: io.promptGuard }).finally(requestStop);
    repl.catch(() => undefined); // a failure is rethrown by stop(), not reported as unhandled
    return { stop: () => repl };
  },
};
