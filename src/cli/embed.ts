import { UserError } from '../domain/errors.ts';
import { type EmbedReport, embedPending } from '../pipeline/embed.ts';
import { embeddingCoverage } from '../store/embeddings.ts';
import { parseOptions, positiveInt } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers embed [--limit N] [--json]';
const options = { json: { type: 'boolean' }, limit: { type: 'string', value: 'count' } } as const;

/**
 * Backfills embeddings for "more like this": every relevant paper without a vector (newest first,
 * up to --limit), within the daily token cap, with a progress line per request on stderr. The
 * daily run embeds the day's papers and part of the backlog by itself; this does it all at once.
 */
export const embedCommand: CliCommand = {
  name: 'embed',
  usage,
  summary: 'embed the relevant papers that have no vector yet (needs OPENAI_EMBEDDING_MODEL), for /papers like:',
  help: `
With OPENAI_EMBEDDING_MODEL set, "more like this" (/papers like:<id>, the web page's section)
compares embeddings instead of words. The daily run embeds each day's papers and part of the
backlog by itself; this embeds every relevant paper that has no vector yet, newest first, within
the daily token cap (LLM_DAILY_TOKEN_CAP), with a progress line per request on stderr.

  --limit N   embed at most N papers
  --json      print the report as JSON`,
  options,
  maxPositionals: 0,
  async run(args, app, io) {
    const { values } = parseOptions(args, options, usage);
    if (!app.embed) {
      throw new UserError(
        'embed needs OPENAI_EMBEDDING_MODEL (and the server of OPENAI_BASE_URL or OPENAI_API_KEY); without it `like:` compares words and needs no embeddings.',
      );
    }
    const limit = positiveInt(values.limit, 'limit', Number.MAX_SAFE_INTEGER);
    const coverage = await embeddingCoverage(app.db, app.embed.embedder.space);
    const total = Math.min(limit, coverage.relevant - coverage.embedded);
    const report = await embedPending(app.embed, {
      limit,
      onProgress: (progress) =>
        io.stderr.write(
          `embedded ${progress.embedded.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} papers (${progress.tokens.toLocaleString('en-US')} tokens)\n`,
        ),
    });
    if (values.json) print(io.stdout, JSON.stringify(report, null, 2));
    else print(io.stdout, describeEmbedding(report));
    return report.status === 'failed' ? 1 : 0;
  },
};

export function describeEmbedding(report: EmbedReport): string {
  if (report.status === 'empty') return `embed: every relevant paper has a vector (${report.space})`;
  const parts = [`${report.embedded} of ${report.candidates} papers embedded with ${report.space}`];
  if (report.deferred) parts.push(`${report.deferred} left for later${report.budgetStopped ? ' (daily token cap)' : ''}`);
  const cost = report.requests ? ` · ${report.requests} requests, ${report.totalTokens} tokens (${report.tokensToday} today)` : '';
  const error = report.error ? `\nembed FAILED: ${report.error}` : '';
  return `embed: ${parts.join(', ')}${cost}${error}`;
}
