import { createInterface } from 'node:readline';
import type { Command, CommandContext } from '../../../commands/command.ts';
import { findCommand, runCommand } from '../../../commands/run-command.ts';
import type { Reply, ReplyAction } from '../../domain/reply.ts';
import type { PromptGuard } from './prompt-guard.ts';
import { renderReply } from './render-reply.ts';

export type ReplOptions = {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly commands: readonly Command[];
  readonly context: CommandContext;
  /** A person at a terminal: prompt, banner, line editing. Otherwise a script: replies only. */
  readonly interactive: boolean;
  readonly width: number;
  /** Ends the REPL (SIGTERM in `serve`). */
  readonly signal?: AbortSignal;
  /** Lines shown under the banner at a terminal: which archive this is, where the logs go. */
  readonly notes?: readonly string[];
  /** Told when the prompt shows, so that what other parts print goes above it (serve). */
  readonly guard?: PromptGuard;
};

type MoreAction = Extract<ReplyAction, { kind: 'more' }>;
/** The last reply's next page, and the number its first paper gets. */
type Paging = { readonly action: MoreAction; readonly next: number };

const QUIT = new Set(['quit', 'exit', '/quit', '/exit']);

/**
 * The console adapter: reads `/command text` lines, runs them through the same commands as Slack
 * and Discord, prints the replies. `more` fetches the next page of the last reply. Ends at the end
 * of input, `quit`, Ctrl-C/Ctrl-D at a terminal, or the abort signal.
 */
export async function runRepl(options: ReplOptions): Promise<void> {
  const { output, interactive } = options;
  const lines = createInterface({ input: options.input, output: interactive ? output : undefined, terminal: interactive, prompt: 'papers> ' });
  let closed = false;
  lines.once('close', () => {
    closed = true;
  });
  const close = () => {
    options.guard?.showing(null);
    if (!closed) lines.close();
  };
  const prompt = () => {
    lines.prompt();
    options.guard?.showing(lines);
  };
  options.signal?.addEventListener('abort', close, { once: true });
  if (options.signal?.aborted) close();
  // At a terminal Ctrl-C arrives here, not as a process signal: it ends the session.
  lines.on('SIGINT', close);
  if (interactive) {
    output.write('lmsys-papers console. Try /papers MoE last month, /subscribe MoE, /papers-help; `more` pages; Ctrl-D quits.\n');
    for (const note of options.notes ?? []) output.write(`${note}\n`);
    prompt();
  }
  let more: Paging | null = null;
  try {
    for await (const raw of lines) {
      options.guard?.showing(null);
      const line = raw.trim();
      if (QUIT.has(line.toLowerCase())) break;
      if (line && !line.startsWith('#')) more = await handle(line, more, options);
      // The signal may have closed the session while the command ran.
      if (interactive && !closed) prompt();
    }
  } finally {
    options.signal?.removeEventListener('abort', close);
    close();
  }
}

async function handle(line: string, more: Paging | null, options: ReplOptions): Promise<Paging | null> {
  const { commands, context, output } = options;
  if (/^\/?more$/i.test(line)) {
    const command = more && findCommand(commands, more.action.command);
    if (!more || !command) {
      output.write('Nothing more to show.\n\n');
      return null;
    }
    return print(await runCommand(command, context, { text: '', cursor: more.action.cursor }), more.next, options);
  }
  const [, name = '', text = ''] = /^\/?(\S+)\s*([\s\S]*)$/.exec(line) ?? [];
  const command = findCommand(commands, name);
  if (!command) {
    const names = commands.map((candidate) => `/${candidate.name}`).join(', ');
    output.write(`Unknown command “${name.replace(/[^\p{L}\p{N}/-]/gu, '')}”. Commands: ${names}.\n\n`);
    return more;
  }
  return print(await runCommand(command, context, { text }), 1, options);
}

function print(reply: Reply, firstNumber: number, options: ReplOptions): Paging | null {
  options.output.write(`${renderReply(reply, { width: options.width, firstNumber })}\n`);
  const action = reply.actions?.find((candidate): candidate is MoreAction => candidate.kind === 'more');
  return action ? { action, next: firstNumber + (reply.papers?.length ?? 0) } : null;
}
