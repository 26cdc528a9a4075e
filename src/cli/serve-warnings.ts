import type { App } from '../app.ts';
import { type CliIo, print } from './cli-command.ts';

/**
 * A read-only archive still serves searches and pages, so `serve` starts; but nothing can be
 * ingested, subscribed or delivered, so it says so at once rather than at the first daily run.
 */
export async function warnIfReadOnly(app: App, io: CliIo): Promise<void> {
  const problem = await app.db.writeProblem();
  if (!problem) return;
  app.log.warn({ database: app.db.path, reason: problem.message }, 'the archive cannot be written');
  print(
    io.stderr,
    `warning: the archive ${app.db.path} cannot be written (${problem.message}): pages and searches work, but nothing can be ingested, subscribed or delivered; /healthz answers 503`,
  );
}
