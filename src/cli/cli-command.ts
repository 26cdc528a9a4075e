import type { App, AppOptions } from '../app.ts';
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
  run(args: readonly string[], app: App, io: CliIo): Promise<number>;
};

export function print(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
