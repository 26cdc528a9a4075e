import { countPapers } from '../store/papers.ts';
import { recentRuns } from '../store/runs.ts';
import { parseOptions, positiveInt } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers status [--limit N] [--json]';

export const statusCommand: CliCommand = {
  name: 'status',
  usage,
  summary: 'archive counts and the last runs (what they fetched, stored, failed)',
  async run(args, app, io) {
    const { values } = parseOptions(args, { json: { type: 'boolean' }, limit: { type: 'string' } }, usage);
    const counts = await countPapers(app.db);
    const runs = await recentRuns(app.db, positiveInt(values.limit, 'limit', 15));
    if (values.json) {
      print(io.stdout, JSON.stringify({ counts, runs }, null, 2));
      return 0;
    }
    print(io.stdout, `archive: ${counts.papers} papers, ${counts.relevant} relevant, ${counts.pending} pending, ${counts.failed} failed classification`);
    print(io.stdout, 'last runs:');
    for (const run of runs) {
      const what =
        run.kind === 'classify'
          ? `${run.fetched} candidates, ${run.new} classified, ${run.skipped} left pending, ${Number(run.stats.requests ?? 0)} requests, ${Number(run.stats.totalTokens ?? 0)} tokens`
          : `${run.fetched} fetched, ${run.new} new, ${run.updated} updated, ${run.skipped} skipped`;
      const error = run.error ? ` — ${run.error}` : '';
      print(io.stdout, `  ${run.startedAt}  ${run.kind.padEnd(8)} ${(run.day ?? '').padEnd(10)} ${run.status.padEnd(7)} ${run.source ?? ''}: ${what}${error}`);
    }
    return 0;
  },
};
