import type { App } from '../app.ts';
import { UserError } from '../domain/errors.ts';
import { classifyPending } from '../pipeline/classify.ts';
import { type CatchUpPlan, type DayOutcome, ingestDays, latestAnnouncementDay, planCatchUp, planRange } from '../pipeline/ingest.ts';
import { announcedDay, dayOption, parseOptions } from './args.ts';
import { describeClassification } from './classify.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers ingest [--date YYYY-MM-DD | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--refetch] [--no-classify] [--json]';
const options = {
  date: { type: 'string', value: 'day' },
  from: { type: 'string', value: 'day' },
  to: { type: 'string', value: 'day' },
  refetch: { type: 'boolean' },
  json: { type: 'boolean' },
  'no-classify': { type: 'boolean' },
} as const;

/** arXiv asks for one request every 3 s; a day from the export API takes two (submitted, updated). */
const REQUESTS_PER_DAY = 2;

export const ingestCommand: CliCommand = {
  name: 'ingest',
  usage,
  summary: 'fetch announcement days from arXiv into the archive (default: catch up to the latest day), then classify them',
  help: `
Fetches arXiv announcement days (cs.DC, cs.OS, cs.LG by default) into the archive, then classifies
what is pending. Today's announcement comes from the RSS feed, older days from the export API,
one request every ARXIV_MIN_INTERVAL_MS (3 s, as arXiv asks).

With no date it catches up: every announcement day after the last one the archive holds (ingested
or imported), at most CATCHUP_MAX_DAYS back; when the archive ends before that, it says so and
which \`--from\` fills the rest.

  --date D        that announcement day, fetched even if the archive has it
  --from D        every announcement day from D to --to (default: the latest published); days an
                  earlier run ingested are skipped, so after a stop the same command continues
  --to D          the last day of --from
  --refetch       fetch the days of --from/--to again even if they were ingested
  --no-classify   only fetch and store; \`lmsys-papers classify\` gives verdicts later
  --json          print { "days": [...], "classification": {...} | null, "gap": ... } on stdout

Dates are YYYY-MM-DD, US-Eastern announcement days (Monday to Friday). Progress goes to stderr.
New versions of papers the archive never held are skipped by design (it keeps the papers it saw
announced as new). Exits 1 if a day or the classification failed; the last line says so.

Example: lmsys-papers ingest --from 2025-12-19`,
  options,
  maxPositionals: 0,
  async run(args, app, io) {
    const { values } = parseOptions(args, options, usage);
    const latest = latestAnnouncementDay(app.now());
    const date = announcedDay(dayOption(values.date, 'date'), latest, 'date');
    const from = dayOption(values.from, 'from');
    if (date && (from || values.to)) throw new UserError(`use either --date or --from/--to\nusage: ${usage}`);
    if (values.to && !from) throw new UserError(`--to needs --from\nusage: ${usage}`);
    const to = announcedDay(dayOption(values.to, 'to'), latest, 'to') ?? latest;
    if (from && from > to) throw new UserError(`--from ${from} is after ${values.to ? `--to ${to}` : `the latest announcement day, ${to}`}`);
    const plan = date || from ? null : await planCatchUp(app.ingest, app.config.CATCHUP_MAX_DAYS);
    const range = from ? await planRange(app.ingest, from, to, values.refetch === true) : null;
    const days = date ? [date] : (range?.days ?? plan?.days ?? []);
    if (range?.alreadyIngested)
      print(io.stderr, `${range.alreadyIngested} of the days from ${from} to ${to} are already ingested: skipped (--refetch fetches them again)`);
    if (days.length > 1) print(io.stderr, announceLongRun(app, days, args));
    const outcomes = days.length
      ? await ingestDays(app.ingest, days, ({ done, total, papers, last }) => {
          print(io.stderr, `[${done}/${total}] ${describe(last)} · ${papers} new papers so far`);
        })
      : [];
    if (days.length === 0) print(io.stderr, 'archive is up to date: nothing to ingest');
    // Stopped (Ctrl-C, SIGTERM): no classification starts; the days left are fetched by the same command.
    const stopped = app.signal.aborted ? ['lmsys-papers ingest', ...args].join(' ') : null;
    // Classifying after every ingest also retries what an earlier run left pending or failed.
    const classification = values['no-classify'] || stopped ? null : await classifyPending(app.classify);
    if (classification) print(io.stderr, describeClassification(classification));
    if (values.json) print(io.stdout, JSON.stringify({ days: outcomes, classification, gap: plan?.gap ?? null }, null, 2));
    for (const line of closingLines(app, plan, outcomes, days.length, stopped)) print(io.stderr, line);
    const failed = outcomes.some((outcome) => outcome.status === 'failed') || classification?.status === 'failed';
    if (classification?.status === 'failed') print(io.stderr, 'ingest FAILED: the classification failed (see above); the papers stay pending for the next run');
    return failed ? 1 : 0;
  },
};

export function describe(outcome: DayOutcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  if (outcome.status === 'failed') return `${outcome.day}: FAILED (${outcome.error})`;
  if (outcome.status === 'empty') return `${outcome.day}: no announcement (${outcome.note ?? outcome.source})`;
  const unreadable = outcome.skipped - outcome.notHeld;
  const extra = [
    unreadable ? `${unreadable} unreadable skipped` : '',
    outcome.notHeld ? `${outcome.notHeld} new versions of papers not in the archive skipped` : '',
  ].filter(Boolean);
  return `${outcome.day}: ${outcome.fetched} fetched from ${outcome.source}, ${outcome.new} new, ${outcome.updated} updated, ${outcome.unchanged} unchanged${extra.map((part) => `, ${part}`).join('')} in ${seconds} s`;
}

/** Before a run of several days: how many, how long at arXiv's pace, and that stopping is safe. */
function announceLongRun(app: App, days: readonly string[], args: readonly string[]): string {
  const seconds = (days.length * REQUESTS_PER_DAY * app.config.ARXIV_MIN_INTERVAL_MS) / 1000;
  const estimate = seconds >= 90 ? `about ${Math.round(seconds / 60)} min` : `about ${Math.max(1, Math.round(seconds))} s`;
  const again = ['lmsys-papers ingest', ...args].join(' ');
  return `fetching ${days.length} announcement days, ${days[0]} to ${days[days.length - 1]} (${estimate} at arXiv's pace); stopping is safe: \`${again}\` continues where it stopped`;
}

/** What the run did not cover, and — last, so it is what a person sees — whether it failed. */
function closingLines(app: App, plan: CatchUpPlan | null, outcomes: readonly DayOutcome[], planned: number, stopped: string | null): string[] {
  const lines: string[] = [];
  const notHeld = outcomes.reduce((sum, outcome) => sum + outcome.notHeld, 0);
  if (notHeld) {
    lines.push(`${notHeld} new versions of papers the archive never held were skipped, by design: it keeps the papers it saw announced as new`);
  }
  if (plan?.gap && plan.archiveEnd) {
    const { gap } = plan;
    lines.push(
      `archive ends ${plan.archiveEnd}; fetched the last ${app.config.CATCHUP_MAX_DAYS} days (CATCHUP_MAX_DAYS); ` +
        `\`lmsys-papers ingest --from ${gap.from}\` fills the rest (${gap.days} announcement days, ${gap.from} to ${gap.to})`,
    );
  }
  const failure = outcomes.find((outcome) => outcome.status === 'failed');
  if (failure && stopped) {
    const left = planned - outcomes.length;
    lines.push(`ingest stopped before ${failure.day} was fetched${left ? `; ${left} later days not tried` : ''}: \`${stopped}\` continues where it stopped`);
  } else if (failure) {
    const left = planned - outcomes.length;
    lines.push(
      `ingest FAILED: ${failure.day} could not be fetched (${failure.error})${left ? `; ${left} later days not tried` : ''}. Run it again when arXiv is reachable.`,
    );
  }
  return lines;
}
