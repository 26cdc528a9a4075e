import { isTerminal, runConsole } from '../platforms/console/start-console.ts';
import { parseOptions } from './args.ts';
import type { CliCommand } from './cli-command.ts';

const usage = 'lmsys-papers repl [--user NAME]   (reads /commands from stdin: echo "/papers MoE" | lmsys-papers repl)';

export const replCommand: CliCommand = {
  name: 'repl',
  usage,
  summary: 'the slash commands in a terminal (/papers, /subscribe …); scriptable through stdin',
  async run(args, app, io) {
    const { values } = parseOptions(args, { user: { type: 'string' } }, usage);
    await runConsole(app, io, { user: typeof values.user === 'string' ? values.user : undefined, interactive: isTerminal(io.stdin), signal: io.signal });
    return 0;
  },
};
