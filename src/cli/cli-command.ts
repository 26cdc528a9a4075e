import type { App, AppOptions } from '../app.ts';
import type { PromptGuard } from '../platforms/console/prompt-guard.ts';
import type { OptionSpec } from './args.ts';

export type CliIo = {
  readonly env: Record<string, string | undefined>;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  /** Ends a long-running command (serve) — SIGTERM/SIGINT in production, the test in tests. */
  readonly signal?: AbortSignal;
  /** Set by run-cli: the command stops itself as a first SIGTERM would (aborts `signal` and the app's). */
  readonly requestStop?: () => void;
  readonly appOptions?: AppOptions;
  /** Set by run-cli for serve: log lines and console digests go above the console's prompt. */
  readonly promptGuard?: PromptGuard;
};

/** One `lmsys-papers <name>` sub-command. Returns the process exit code. */
export type CliCommand = {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /** What `--help` prints under the usage line: what the command does, each option, an example. */
  readonly help: string;
  /** Its options and how many positional arguments it takes: checked before the archive opens. */
  readonly options: OptionSpec;
  readonly maxPositionals: number;
  /** What the positional arguments must be (`search` needs a query, `export` a format), checked before the archive opens too. */
  readonly checkPositionals?: (positionals: readonly string[]) => void;
  run(args: readonly string[], app: App, io: CliIo): Promise<number>;
};

export function print(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * JSON for a terminal or a pipe. JSON.stringify escapes only the C0 controls; DEL, the C1 controls
 * (\u009b is CSI to some terminals) and bidi overrides from untrusted titles are escaped too, so
 * the text survives as data and cannot repaint or reorder the terminal.
 */
export function printJson(stream: NodeJS.WritableStream, value: unknown): void {
  const text = JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  print(stream, text);
}
