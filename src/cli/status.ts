import type { Scores } from '../domain/eval-metrics.ts';
import { describeArchiveFile, emptyArchiveNote } from '../store/archive-location.ts';
import { scoresOnGroupLabels } from '../store/group-labels.ts';
import { deliveryTallies, unsentDeliveries } from '../store/ledger.ts';
import { countPapers } from '../store/papers.ts';
import { archivedDaySpan, type Run, recentRuns } from '../store/runs.ts';
import { type VoteCounts, voteCounts } from '../store/votes.ts';
import { parseOptions, positiveInt } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers status [--limit N] [--json]';
const options = { json: { type: 'boolean' }, limit: { type: 'string' } } as const;

/** Days of deliveries shown, and unsent deliveries listed one by one. */
const DELIVERY_DAYS = 7;
const UNSENT_SHOWN = 20;
/** Runs read to find the ones that did something and the failures not since put right. */
const RUNS_READ = 500;

export const statusCommand: CliCommand = {
  name: 'status',
  usage,
  summary: 'archive counts, the last runs (what they fetched, stored, delivered, failed) and deliveries pending or failed',
  help: `
What the archive holds and how the bot is doing, most important first: the archive file, its
papers and days; runs that failed and have not succeeded since (a day failing again and again is
one line); the last runs that did something (runs that found nothing to do — weekends, nothing to
classify — are counted in one line);
deliveries of the last days (sent, pending, failed) and each pending or failed one with its error
and next try.

  --limit N   show the last N runs that did something (default 15)
  --json      print all of it as JSON`,
  options,
  maxPositionals: 0,
  async run(args, app, io) {
    const { values } = parseOptions(args, options, usage);
    const limit = positiveInt(values.limit, 'limit', 15);
    const counts = await countPapers(app.db);
    const span = await archivedDaySpan(app.db);
    const read = await recentRuns(app.db, Math.max(RUNS_READ, limit));
    const failures = unresolvedFailures(read);
    const busy = read.filter((run) => !isIdle(run));
    const runs = busy.slice(0, limit);
    const idle = read.filter(isIdle).filter((run) => run.id > (runs[runs.length - 1]?.id ?? 0)).length;
    const deliveries = await deliveryTallies(app.db, DELIVERY_DAYS);
    const unsent = await unsentDeliveries(app.db, UNSENT_SHOWN);
    const votes = { ...(await voteCounts(app.db)), filter: await scoresOnGroupLabels(app.db) };
    if (values.json) {
      const archive = { file: app.db.path, firstDay: span.first, lastDay: span.last };
      print(io.stdout, JSON.stringify({ archive, counts, votes, failures, runs, idleRuns: idle, deliveries, unsent }, null, 2));
      return 0;
    }
    const days = span.first && span.last ? `, announcement days ${span.first} to ${span.last}` : '';
    print(io.stdout, `archive: ${counts.papers} papers, ${counts.relevant} relevant, ${counts.pending} pending, ${counts.failed} failed classification${days}`);
    print(io.stdout, counts.papers === 0 ? `  ${emptyArchiveNote(app.db.path)}` : `  file: ${describeArchiveFile(app.db.path)}`);
    if (failures.length) print(io.stdout, 'failed, not succeeded since (latest first):');
    for (const run of failures) print(io.stdout, `  ${runLine(run)}${run.failedRuns > 1 ? ` — failed ${run.failedRuns} times` : ''}`);
    print(io.stdout, runs.length ? 'last runs that did something (latest first):' : 'runs: none yet that did something');
    for (const run of runs) print(io.stdout, `  ${runLine(run)}`);
    if (idle) print(io.stdout, `  (and ${idle} runs in that time that found nothing to do: weekends, holidays, nothing to classify)`);
    print(io.stdout, describeVotes(votes));
    print(io.stdout, deliveries.length ? `deliveries (last ${DELIVERY_DAYS} days with any):` : 'deliveries: none yet');
    for (const tally of deliveries) {
      print(io.stdout, `  ${tally.day}  ${`${tally.kind}s`.padEnd(7)} ${tally.sent} sent, ${tally.pending} pending, ${tally.failed} failed`);
    }
    if (unsent.length) print(io.stdout, 'pending and failed deliveries (latest first):');
    for (const delivery of unsent) {
      const state =
        delivery.status === 'claimed'
          ? `being sent since ${delivery.claimedAt}`
          : delivery.status === 'permanent'
            ? 'failed for good'
            : delivery.nextAttemptAt
              ? `retry at ${delivery.nextAttemptAt}`
              : 'failed, no tries left';
      const error = delivery.error ? ` — ${delivery.error}` : '';
      print(io.stdout, `  ${delivery.day}  ${delivery.kind} ${delivery.platform} ${delivery.target}: ${state} (${delivery.attempts} tries)${error}`);
    }
    return 0;
  },
};

/** A run that found nothing to do: a day without an announcement, nothing to classify. */
export function isIdle(run: Run): boolean {
  if (run.status === 'failed') return false;
  return run.status === 'empty' || run.fetched + run.new + run.updated + run.skipped === 0;
}

/** Failed runs with no later successful run of the same kind and day: what still needs a look. */
export function unresolvedFailures(runs: readonly Run[]): (Run & { readonly failedRuns: number })[] {
  const settled = new Set<string>();
  const open = new Map<string, Run & { failedRuns: number }>();
  // Latest first: a success seen before (later than) a failure settles it. A day that fails run
  // after run (arXiv down, retried every 30 minutes) is one line, its latest failure, with a count.
  for (const run of runs) {
    const key = `${run.kind} ${run.day ?? ''}`;
    if (run.status !== 'failed') settled.add(key);
    else if (!settled.has(key)) {
      const seen = open.get(key);
      if (seen) seen.failedRuns++;
      else open.set(key, { ...run, failedRuns: 1 });
    }
  }
  return [...open.values()];
}

function runLine(run: Run): string {
  const day = (run.day ?? '').padEnd(10);
  const head = `${run.startedAt}  ${run.kind.padEnd(8)} ${day} ${run.status.padEnd(6)}`;
  if (run.status === 'failed') return `${head} ${run.source ? `${run.source}: ` : ''}${run.error ?? 'no error recorded'}`;
  const note = typeof run.stats.note === 'string' ? ` (${run.stats.note})` : '';
  return `${head} ${run.source ?? '-'}: ${describeRun(run)}${note}${run.error ? ` — ${run.error}` : ''}`;
}

function describeRun(run: Run): string {
  const stat = (name: string) => Number(run.stats[name] ?? 0);
  if (run.kind === 'classify') {
    return `${run.fetched} candidates, ${run.new} classified, ${run.skipped} left pending, ${stat('requests')} requests, ${stat('totalTokens')} tokens`;
  }
  if (run.kind === 'eval') return `${run.fetched} labelled papers, ${run.new} judged, ${stat('requests')} requests, ${stat('totalTokens')} tokens`;
  if (run.kind === 'deliver') {
    return `${run.fetched} candidates, ${run.new} relevant, ${stat('tokens')} tokens, ${stat('digestsSent')} digests and ${stat('alertsSent')} alerts sent, ${stat('failures')} failed (${stat('retrying')} to retry)`;
  }
  if (run.kind === 'import') return `${run.fetched} README lines, ${run.new} papers imported, ${stat('duplicatesMerged')} duplicates merged`;
  const notHeld = stat('notHeld');
  return `${run.fetched} fetched, ${run.new} new, ${run.updated} updated, ${run.skipped} skipped${notHeld ? ` (${notHeld} new versions of papers not held)` : ''}`;
}

function describeVotes(votes: VoteCounts & { filter: Scores }): string {
  if (votes.votes === 0) return 'votes: none yet (the group marks papers relevant or not relevant; `eval` then measures the filter on them)';
  const share = (value: number | null) => (value === null ? '–' : value.toFixed(2));
  const { filter } = votes;
  return `votes: ${votes.votes} by ${votes.voters} ${votes.voters === 1 ? 'person' : 'people'}; ${votes.labelled} papers labelled (${votes.relevant} relevant)${votes.ties ? `, ${votes.ties} tied` : ''}; the filter on them: precision ${share(filter.precision)}, recall ${share(filter.recall)} (${filter.papers} papers it judged)`;
}
