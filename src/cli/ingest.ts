import { daysBetween } from '../domain/calendar.ts';
import { UserError } from '../domain/errors.ts';
import { classifyPending } from '../pipeline/classify.ts';
import { type DayOutcome, daysToCatchUp, ingestDays } from '../pipeline/ingest.ts';
import { dayOption, parseOptions } from './args.ts';
import { describeClassification } from './classify.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers ingest [--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD] [--no-classify] [--json]';

export const ingestCommand: CliCommand = {
  name: 'ingest',
  usage,
  summary: 'fetch announcement days from arXiv into the archive (default: catch up to the latest day), then classify them',
  async run(args, app, io) {
    const { values } = parseOptions(
      args,
      { date: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, 'no-classify': { type: 'boolean' } },
      usage,
    );
    const date = dayOption(values.date, 'date');
    const from = dayOption(values.from, 'from');
    const to = dayOption(values.to, 'to');
    if (date && (from || to)) throw new UserError(`use either --date or --from/--to\nusage: ${usage}`);
    if (Boolean(from) !== Boolean(to)) throw new UserError(`--from and --to go together\nusage: ${usage}`);
    if (from && to && from > to) throw new UserError(`--from ${from} is after --to ${to}`);
    const days = date ? [date] : from && to ? daysBetween(from, to) : await daysToCatchUp(app.ingest, app.config.CATCHUP_MAX_DAYS);
    const outcomes = days.length
      ? await ingestDays(app.ingest, days, ({ done, total, papers, last }) => {
          print(io.stderr, `[${done}/${total}] ${describe(last)} · ${papers} new papers so far`);
        })
      : [];
    if (days.length === 0) print(io.stderr, 'archive is up to date: nothing to ingest');
    // Classifying after every ingest also retries what an earlier run left pending or failed.
    const classification = values['no-classify'] ? null : await classifyPending(app.classify);
    if (classification) print(io.stderr, describeClassification(classification));
    if (values.json) print(io.stdout, JSON.stringify({ days: outcomes, classification }, null, 2));
    const failed = outcomes.some((outcome) => outcome.status === 'failed') || classification?.status === 'failed';
    return failed ? 1 : 0;
  },
};

export function describe(outcome: DayOutcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  if (outcome.status === 'failed') return `${outcome.day}: FAILED (${outcome.error})`;
  if (outcome.status === 'empty') return `${outcome.day}: no announcement (${outcome.note ?? outcome.source})`;
  return `${outcome.day}: ${outcome.fetched} fetched from ${outcome.source}, ${outcome.new} new, ${outcome.updated} updated, ${outcome.unchanged} unchanged, ${outcome.skipped} skipped in ${seconds} s`;
}
