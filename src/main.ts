import { runCli } from './cli/run-cli.ts';
import { exitIfStillRunning } from './cli/stop-on-signals.ts';

const code = await runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
process.exitCode = code;
exitIfStillRunning(code, process.stdout, process.stderr, (exitCode) => process.exit(exitCode));
