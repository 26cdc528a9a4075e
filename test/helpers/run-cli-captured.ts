import { Readable } from 'node:stream';
import type { AppOptions } from '../../src/app.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import { captureStream } from './test-app.ts';

/** `lmsys-papers <argv>` in-process, as a person at a shell would see it: exit code, stdout, stderr. */
export async function runCliCaptured(
  argv: readonly string[],
  options: { env: Record<string, string>; stdin?: readonly string[]; appOptions?: AppOptions },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await runCli(argv, {
    env: options.env,
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.stdin ?? []),
    ...(options.appOptions ? { appOptions: options.appOptions } : {}),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
