import { withDotEnv } from './cli/dot-env.ts';
import { runCli } from './cli/run-cli.ts';
import { exitIfStillRunning } from './cli/stop-on-signals.ts';
import { UserError } from './domain/errors.ts';

try {
  const env = withDotEnv(process.cwd(), process.env);
  process.exitCode = await runCli(process.argv.slice(2), { env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
exitIfStillRunning(Number(process.exitCode ?? 0), process.stdout, process.stderr, (exitCode) => process.exit(exitCode));
