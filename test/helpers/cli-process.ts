import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/lmsys-papers.js', import.meta.url));

export type Exit = { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly at: number };

/** A real `lmsys-papers` child process, as a user or an orchestrator runs it; output collected. */
export type CliProcess = {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout or stderr has matched `pattern`. */
  until(pattern: RegExp): Promise<void>;
  /** Sends `signal` and returns when it was sent (performance.now()). */
  signal(signal: NodeJS.Signals): number;
};

/** Children not yet exited: a test that fails half-way must not leave a server running. */
const alive = new Set<ChildProcess>();

/** SIGKILLs every child of spawnCli still running; for afterEach. */
export async function killLeftovers(): Promise<void> {
  const left = [...alive];
  for (const child of left) child.kill('SIGKILL');
  await Promise.all(left.map((child) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined)));
}

/** Runs `lmsys-papers <args>` with exactly `env` (plus PATH and HOME) in `cwd`, so no .env is picked up. */
export function spawnCli(args: readonly string[], env: Record<string, string>, cwd: string): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  const output = { stdout: '', stderr: '' };
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiting]) {
      if (!waiter.pattern.test(output.stdout) && !waiter.pattern.test(output.stderr)) continue;
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout?.on('data', (chunk) => {
    output.stdout += String(chunk);
    check();
  });
  child.stderr?.on('data', (chunk) => {
    output.stderr += String(chunk);
    check();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    at: performance.now(),
  }));
  return {
    child,
    exited,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    until: (pattern) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ pattern, resolve });
        check();
        exited.then(() => reject(new Error(`exited before ${pattern}:\n${output.stderr}\n${output.stdout}`)));
      }),
    signal(signal) {
      child.kill(signal);
      return performance.now();
    },
  };
}
