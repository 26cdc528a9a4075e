import { type ClassifyReport, classifyPending } from '../pipeline/classify.ts';
import { parseOptions, positiveInt } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers classify [--limit N] [--json]';
const options = { json: { type: 'boolean' }, limit: { type: 'string', value: 'count' } } as const;

export const classifyCommand: CliCommand = {
  name: 'classify',
  usage,
  summary: 'give pending and failed papers a verdict, tags and TL;DR (LLM, or keyword rules without one)',
  help: `
Gives pending papers, papers whose classification failed and (once an LLM is configured) keyword
verdicts a verdict, tags and a TL;DR: with the LLM at OPENAI_BASE_URL / OPENAI_API_KEY, else with
the keyword rules. Prints what it did, the requests and the tokens (LLM_DAILY_TOKEN_CAP holds).

  --limit N   classify at most N papers this run (default LLM_MAX_PAPERS_PER_RUN)
  --json      print the run's report as JSON

Exits 1 if the LLM was unreachable.`,
  options,
  maxPositionals: 0,
  async run(args, app, io) {
    const { values } = parseOptions(args, options, usage);
    const report = await classifyPending(app.classify, { limit: positiveInt(values.limit, 'limit', app.config.LLM_MAX_PAPERS_PER_RUN) });
    if (values.json) print(io.stdout, JSON.stringify(report, null, 2));
    else print(io.stdout, describeClassification(report));
    return report.status === 'failed' ? 1 : 0;
  },
};

export function describeClassification(report: ClassifyReport): string {
  if (report.status === 'empty') return 'classify: nothing to classify';
  const parts = [
    `${report.classified} of ${report.candidates} classified with ${report.classifier}`,
    `${report.relevant} relevant`,
    `${report.prefiltered} pre-filtered`,
    `${report.cached} from cache`,
    `${report.failed} failed`,
  ];
  if (report.deferred) parts.push(`${report.deferred} left pending${report.budgetStopped ? ' (daily token cap)' : ''}`);
  const cost = report.requests ? ` · ${report.requests} requests, ${report.totalTokens} tokens (${report.tokensToday} today)` : '';
  const error = report.error ? `\nclassify FAILED: ${report.error}` : '';
  return `classify: ${parts.join(', ')}${cost}${error}`;
}
