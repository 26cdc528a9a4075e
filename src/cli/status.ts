import type { Scores } from '../domain/eval-metrics.ts';
import { scoresOnGroupLabels } from '../store/group-labels.ts';
import { deliveryTallies, unsentDeliveries } from '../store/ledger.ts';
import { countPapers } from '../store/papers.ts';
import { type Run, recentRuns } from '../store/runs.ts';
import { type VoteCounts, voteCounts } from '../store/votes.ts';
import { parseOptions, positiveInt } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers status [--limit N] [--json]';

/** Days of deliveries shown, and unsent deliveries listed one by one. */
const DELIVERY_DAYS = 7;
const UNSENT_SHOWN = 20;

export const statusCommand: CliCommand = {
  name: 'status',
  usage,
  summary: 'archive counts, the last runs (what they fetched, stored, delivered, failed) and deliveries pending or failed',
  async run(args, app, io) {
    const { values } = parseOptions(args, { json: { type: 'boolean' }, limit: { type: 'string' } }, usage);
    const counts = await countPapers(app.db);
    const runs = await recentRuns(app.db, positiveInt(values.limit, 'limit', 15));
    const deliveries = await deliveryTallies(app.db, DELIVERY_DAYS);
    const unsent = await unsentDeliveries(app.db, UNSENT_SHOWN);
    const votes = { ...(await voteCounts(app.db)), filter: await scoresOnGroupLabels(app.db) };
    if (values.json) {
      print(io.stdout, JSON.stringify({ counts, votes, runs, deliveries, unsent }, null, 2));
      return 0;
    }
    print(io.stdout, `archive: ${counts.papers} papers, ${counts.relevant} relevant, ${counts.pending} pending, ${counts.failed} failed classification`);
    print(io.stdout, describeVotes(votes));
    print(io.stdout, 'last runs:');
    for (const run of runs) {
      const error = run.error ? ` — ${run.error}` : '';
      print(
        io.stdout,
        `  ${run.startedAt}  ${run.kind.padEnd(8)} ${(run.day ?? '').padEnd(10)} ${run.status.padEnd(7)} ${run.source ?? ''}: ${describeRun(run)}${error}`,
      );
    }
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

function describeRun(run: Run): string {
  const stat = (name: string) => Number(run.stats[name] ?? 0);
  if (run.kind === 'classify') {
    return `${run.fetched} candidates, ${run.new} classified, ${run.skipped} left pending, ${stat('requests')} requests, ${stat('totalTokens')} tokens`;
  }
  if (run.kind === 'eval') return `${run.fetched} labelled papers, ${run.new} judged, ${stat('requests')} requests, ${stat('totalTokens')} tokens`;
  if (run.kind === 'deliver') {
    return `${run.fetched} candidates, ${run.new} relevant, ${stat('tokens')} tokens, ${stat('digestsSent')} digests and ${stat('alertsSent')} alerts sent, ${stat('failures')} failed (${stat('retrying')} to retry)`;
  }
  return `${run.fetched} fetched, ${run.new} new, ${run.updated} updated, ${run.skipped} skipped`;
}

function describeVotes(votes: VoteCounts & { filter: Scores }): string {
  if (votes.votes === 0) return 'votes: none yet (the group marks papers relevant or not relevant; `eval` then measures the filter on them)';
  const share = (value: number | null) => (value === null ? '–' : value.toFixed(2));
  const { filter } = votes;
  return `votes: ${votes.votes} by ${votes.voters} people; ${votes.labelled} papers labelled (${votes.relevant} relevant)${votes.ties ? `, ${votes.ties} tied` : ''}; the filter on them: precision ${share(filter.precision)}, recall ${share(filter.recall)} (${filter.papers} papers it judged)`;
}
