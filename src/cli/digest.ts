import type { App } from '../app.ts';
import { type CatchUpResult, catchUp } from '../catch-up.ts';
import { emptyTally } from '../delivery/deliver.ts';
import { planDay } from '../delivery/plan-day.ts';
import type { Messenger } from '../domain/delivery.ts';
import { UserError } from '../domain/errors.ts';
import { plural } from '../domain/plural.ts';
import { latestAnnouncementDay } from '../pipeline/ingest.ts';
import { withConsoleFallback } from '../platforms/console/console-messenger.ts';
import { recipientLine, renderAlert, renderDigest } from '../platforms/console/render-delivery.ts';
import { type DayRunSummary, planSettings, runDay } from '../run-day.ts';
import { emptyArchiveNote } from '../store/archive-location.ts';
import { deliveryKey, deliveryStatusesOn } from '../store/ledger.ts';
import { papersAnnouncedOn } from '../store/papers.ts';
import { dayInArchive, lastArchivedDay } from '../store/runs.ts';
import { announcedDay, dayOption, parseOptions } from './args.ts';
import { type CliCommand, type CliIo, print, printJson } from './cli-command.ts';
import type { RunningPart } from './serve-part.ts';
import { SERVE_PARTS } from './serve-parts.ts';

const usage = 'lmsys-papers digest [--date YYYY-MM-DD [--refetch]] [--dry-run] [--json]';
const options = { date: { type: 'string', value: 'day' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, refetch: { type: 'boolean' } } as const;

export const digestCommand: CliCommand = {
  name: 'digest',
  usage,
  summary: 'the daily run on demand: ingest, classify, post digests and send alerts (default: catch up); --dry-run prints what would go to whom',
  help: `
The daily run on demand, through the platforms configured (Slack, Discord, email; the console when
none), without starting their bots or the web page, so it runs beside a \`serve\`. Each digest and
alert goes out once: running it again sends nothing twice.

With no date it catches up as \`serve\` does at each tick: every announcement day since the last
one delivered (at most CATCHUP_MAX_DAYS back; on a new archive, the latest day only). Days only a
README import brought are left out: they go out only when named with --date.

  --date D     that day: fetched from arXiv unless the archive holds it (ingested, or imported
               from a README), then classified and delivered
  --refetch    with --date: fetch the day from arXiv even if the archive holds it
  --dry-run    print what would go to whom now, from the archive as it is: nothing is fetched,
               classified, claimed or sent
  --json       print the run summaries (with --dry-run: the planned deliveries) as JSON

One line per day on stderr. Exits 1 if a day failed or is waiting for verdicts.

Example: lmsys-papers digest --date 2025-12-18 --dry-run`,
  options,
  maxPositionals: 0,
  async run(args, app, io) {
    const { values } = parseOptions(args, options, usage);
    const date = announcedDay(dayOption(values.date, 'date'), latestAnnouncementDay(app.now()), 'date');
    if (values.refetch && !date) throw new UserError(`--refetch goes with --date\nusage: ${usage}`);
    if (values.refetch && values['dry-run']) throw new UserError('--dry-run fetches nothing: leave out --refetch');
    if (values['dry-run']) return dryRun(app, io, date ?? latestAnnouncementDay(app.now()), values.json === true);
    const ingest = date ? await ingestMode(app, io, date, values.refetch === true) : 'auto';
    const parts = await startMessengers(app, io);
    try {
      const messengers = withConsoleFallback(parts.messengers, io.stdout);
      const result: CatchUpResult = date
        ? { retried: emptyTally(), days: [await runDay(app, date, { messengers, ingest })] }
        : await catchUp(app, { messengers });
      if (result.retried.digestsSent + result.retried.alertsSent + result.retried.failed + result.retried.retrying > 0) {
        print(
          io.stderr,
          `retried earlier deliveries: ${plural(result.retried.digestsSent, 'digest')} and ${plural(result.retried.alertsSent, 'alert')} sent, ${result.retried.retrying} to retry, ${result.retried.failed} failed`,
        );
      }
      if (result.days.length === 0) print(io.stderr, 'every announcement day is delivered: nothing to do');
      for (const summary of result.days) print(io.stderr, describeRun(summary));
      if (values.json) print(io.stdout, JSON.stringify(result, null, 2));
      return result.days.some((summary) => summary.status !== 'ok' && summary.status !== 'empty') ? 1 : 0;
    } finally {
      await parts.stop();
    }
  },
};

export function describeRun(summary: DayRunSummary): string {
  const head = `${summary.day}: ${summary.status}`;
  if (summary.status === 'empty') return `${head} (no announcement: nothing to post)`;
  const counts = `${summary.candidates} candidates, ${summary.relevant} relevant, ${summary.tokens} tokens; ${plural(summary.digestsSent, 'digest')} and ${plural(summary.alertsSent, 'alert')} sent, ${summary.failures} failed (${summary.retrying} to retry)`;
  const notes = [
    summary.reconciled ? `${summary.reconciled} found already delivered` : '',
    summary.noMessenger ? `${summary.noMessenger} for platforms not configured here` : '',
    summary.error ?? '',
  ].filter(Boolean);
  return `${head} — ${counts}${notes.length ? ` — ${notes.join('; ')}` : ''}`;
}

/** A day the archive holds is posted as it is there (an imported day is never refetched unasked). */
async function ingestMode(app: App, io: CliIo, day: string, refetch: boolean): Promise<'auto' | 'skip' | 'force'> {
  if (refetch) return 'force';
  const held = await dayInArchive(app.db, day);
  if (held === 'imported') print(io.stderr, `${day} is in the archive from an import: delivering it as it is there (--refetch fetches it from arXiv first)`);
  return held ? 'skip' : 'auto';
}

/** Starts the chat parts of `serve` for their messengers only (no console, scheduler or web page). */
async function startMessengers(app: App, io: CliIo): Promise<{ messengers: Messenger[]; stop(): Promise<void> }> {
  const controller = new AbortController();
  // The process's stop reaches the messengers at once: their waits end, and requests a platform does
  // not answer are cut after their grace (Slack 3 s, Discord 2 s), instead of running to their timeouts.
  const signal = AbortSignal.any([app.signal, controller.signal]);
  const running: RunningPart[] = [];
  const messengers: Messenger[] = [];
  const stop = async () => {
    controller.abort();
    for (const part of running.reverse()) await part.stop().catch((error: unknown) => app.log.error({ err: error }, 'part failed to stop cleanly'));
  };
  try {
    for (const part of SERVE_PARTS) {
      const started = await part.start({ app, io, signal, requestStop: () => controller.abort(), messengers, mode: 'deliver' });
      if (!started) continue;
      running.push(started);
      if (started.messenger) messengers.push(started.messenger);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { messengers, stop };
}

/** What the day would send now, to whom, from the archive as it is: nothing is fetched, classified, claimed or sent. */
async function dryRun(app: App, io: CliIo, day: string, json: boolean): Promise<number> {
  const held = await dayInArchive(app.db, day);
  if (!held) {
    const empty = (await lastArchivedDay(app.db)) === null ? `\n${emptyArchiveNote(app.db.path)}` : '';
    print(io.stderr, `${day} is not in the archive yet: \`lmsys-papers ingest --date ${day}\` fetches it (or run digest without --dry-run)${empty}`);
    return 1;
  }
  const listing = await papersAnnouncedOn(app.db, day);
  const plans = await planDay(app.db, day, listing, planSettings(app));
  const statuses = await deliveryStatusesOn(app.db, day);
  const unclassified = listing.filter((item) => (item.announceType === 'new' || item.announceType === 'cross') && item.paper.classification.relevant === null);
  const due = plans.filter((plan) => !statuses.has(deliveryKey(plan.key)));
  const width = Math.min((io.stdout as { columns?: number }).columns ?? 80, 100);
  if (json) {
    const entries = plans.map((plan) => ({ ...plan.key, status: statuses.get(deliveryKey(plan.key)) ?? 'would send', papers: plan.papers }));
    printJson(io.stdout, { day, unclassified: unclassified.length, deliveries: entries });
  } else {
    for (const plan of due) {
      const { kind, message } = plan.outgoing;
      const body = kind === 'digest' ? renderDigest(message, width) : renderAlert(message, width);
      print(io.stdout, `${recipientLine(plan.key.platform, kind, plan.key.target)}\n${body}\n`);
    }
  }
  const digests = due.filter((plan) => plan.key.kind === 'digest').length;
  const notes = [
    listing.length === 0 ? 'arXiv announced nothing that day' : '',
    held === 'imported' ? 'the day comes from an imported README' : '',
    plans.length > due.length ? `${plans.length - due.length} already delivered or under way` : '',
    // A new setup has no channel yet: say so rather than leave "0 digests" to puzzle over.
    plans.length === 0 && listing.length > 0
      ? 'no channel takes its digest and no subscription matches its papers: `/digest here` in `lmsys-papers repl`, ' +
        `SLACK_DIGEST_CHANNELS or DISCORD_DIGEST_CHANNELS names a channel; \`lmsys-papers search ${day}\` lists the day`
      : '',
    unclassified.length ? `${unclassified.length} new papers have no verdict yet (a real run classifies them first)` : '',
  ].filter(Boolean);
  print(
    io.stderr,
    `dry run for ${day}: would send ${plural(digests, 'digest')} and ${plural(due.length - digests, 'alert')}${notes.length ? ` (${notes.join('; ')})` : ''}`,
  );
  return 0;
}
