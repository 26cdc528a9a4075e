import { isTerminal, runConsole } from '../platforms/console/start-console.ts';
import { parseOptions } from './args.ts';
import type { CliCommand } from './cli-command.ts';

const usage = 'lmsys-papers repl [--user NAME]   (reads /commands from stdin: echo "/papers MoE" | lmsys-papers repl)';
const options = { user: { type: 'string' } } as const;

export const replCommand: CliCommand = {
  name: 'repl',
  usage,
  summary: 'the slash commands in a terminal (/papers, /subscribe …); scriptable through stdin',
  help: `
The slash commands of Slack and Discord in a terminal: /papers, /subscribe, /unsubscribe,
/subscriptions, /digest, /papers-help (or /help). \`more\` shows the next page; \`quit\` or Ctrl-D
ends it. Without a terminal it reads one command per line from stdin and prints the replies only.

  --user NAME   whose subscriptions these are (default: the operating-system user)

Example: echo "/papers MoE last month" | lmsys-papers repl`,
  options,
  maxPositionals: 0,
  async run(args, app, io) {
    const { values } = parseOptions(args, options, usage);
    await runConsole(app, io, { user: typeof values.user === 'string' ? values.user : undefined, interactive: isTerminal(io.stdin), signal: io.signal });
    return 0;
  },
};
