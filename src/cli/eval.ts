import { readFileSync } from 'node:fs';
import type { App } from '../app.ts';
import { UserError } from '../domain/errors.ts';
import type { Mistake, Scores } from '../domain/eval-metrics.ts';
import { type LabelledPaper, parseLabelledPapers } from '../domain/labelled-papers.ts';
import { type EvalReport, evaluateLabels } from '../pipeline/evaluate-labels.ts';
import { labelledVerdicts } from '../store/group-labels.ts';
import { parseOptions, positiveInt } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers eval [--labels FILE.jsonl] [--limit N] [--json]';
const PROBLEMS_SHOWN = 20;
const options = { labels: { type: 'string' }, limit: { type: 'string', value: 'count' }, json: { type: 'boolean' } } as const;

export const evalCommand: CliCommand = {
  name: 'eval',
  usage,
  summary: "measure the configured classifier on labelled papers (a JSON-lines file, or the group's votes): precision, recall, tags, cost",
  help: `
Runs the classifier this deployment is configured with (the LLM when one is set, else the offline
filter) over labelled papers and prints relevance precision, recall and F1 (overall and by listing
category), tag precision and recall, LLM requests, tokens and cost, the time taken and the worst
mistakes. Cached verdicts are reused, so a second run costs nothing. Nothing is written into the
archive's papers.

  --labels FILE   a JSON-lines file, one paper a line: id, title, categories (the primary first),
                  relevant, and optionally abstract, tags, day; without it, the group's votes
                  (👍/👎) are the labels
  --limit N       evaluate only the first N labelled papers
  --json          print the report as JSON

Example: lmsys-papers eval --labels test/fixtures/eval/labelled-dev.jsonl`,
  options,
  maxPositionals: 0,
  async run(args, app, io) {
    const { values } = parseOptions(args, options, usage);
    const source = typeof values.labels === 'string' ? values.labels : null;
    const all = source ? readLabelFile(app, source) : await groupLabelled(app);
    const labelled = all.slice(0, positiveInt(values.limit, 'limit', all.length));
    const report = await evaluateLabels(app.classify, labelled, {
      followed: app.config.ARXIV_CATEGORIES,
      prices: { inputPerMTok: app.config.LLM_PRICE_INPUT_PER_MTOK ?? null, outputPerMTok: app.config.LLM_PRICE_OUTPUT_PER_MTOK ?? null },
    });
    if (values.json) print(io.stdout, JSON.stringify({ labels: source ?? 'votes', ...report }, null, 2));
    else print(io.stdout, describeEval(report, source ?? "the group's votes"));
    return report.status === 'failed' ? 1 : 0;
  },
};

function readLabelFile(app: App, path: string): LabelledPaper[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { papers, problems } = parseLabelledPapers(text, app.vocabulary);
  if (problems.length) {
    const shown = problems.slice(0, PROBLEMS_SHOWN).map((problem) => `  ${path}:${problem.line}: ${problem.message}`);
    const more = problems.length > PROBLEMS_SHOWN ? [`  … and ${problems.length - PROBLEMS_SHOWN} more`] : [];
    throw new UserError([`${path}: ${problems.length} unusable line${problems.length === 1 ? '' : 's'}, nothing evaluated:`, ...shown, ...more].join('\n'));
  }
  if (papers.length === 0) throw new UserError(`${path} holds no labelled papers`);
  return papers;
}

async function groupLabelled(app: App): Promise<LabelledPaper[]> {
  const rows = await labelledVerdicts(app.db);
  if (rows.length === 0) {
    throw new UserError(
      'eval: the group has not labelled any paper yet. Mark papers relevant or not relevant (👍/👎) in chat, or measure on a file: --labels FILE.jsonl',
    );
  }
  return rows.map(({ paper, label }) => ({
    id: paper.id,
    version: paper.version,
    title: paper.title,
    abstract: paper.abstract || paper.classification.tldr || '',
    categories: paper.categories,
    primaryCategory: paper.primaryCategory ?? paper.categories[0] ?? null,
    relevant: label,
    tags: [],
    day: paper.announcedOn,
  }));
}

const fixed = (value: number | null, digits = 3) => (value === null ? '–' : value.toFixed(digits));

function scoreLine(name: string, scores: Scores): string {
  return `  ${name.padEnd(10)} precision ${fixed(scores.precision)}  recall ${fixed(scores.recall)}  F1 ${fixed(scores.f1)}   (${scores.papers} papers, ${scores.tp + scores.fn} relevant; tp ${scores.tp}, fp ${scores.fp}, fn ${scores.fn})`;
}

function mistakeLine(mistake: Mistake): string {
  const score = mistake.score === null ? '' : ` (score ${mistake.score.toFixed(1)})`;
  return `  ${mistake.id}  ${mistake.category.padEnd(6)} ${mistake.title}${score}`;
}

export function describeEval(report: EvalReport, source: string): string {
  const { metrics, llm } = report;
  const lines = [
    `eval: ${report.papers} labelled papers (${report.labelledRelevant} relevant) from ${source}; classifier ${report.classifier} (prompt/rules ${report.promptHash}); ${(report.durationMs / 1000).toFixed(1)} s`,
  ];
  if (report.unjudged) lines.push(`  ${report.unjudged} papers got no verdict (LLM failures or the daily token cap) and are left out`);
  lines.push('relevance:', scoreLine('overall', metrics.relevance), ...metrics.byCategory.map((scores) => scoreLine(scores.category, scores)));
  if (metrics.tags) {
    const { micro } = metrics.tags;
    lines.push(
      `tags, on the ${metrics.tags.papers} papers both call relevant: micro precision ${fixed(micro.precision)}  recall ${fixed(micro.recall)}  F1 ${fixed(micro.f1)}`,
    );
    for (const tag of metrics.tags.perTag) {
      lines.push(`  ${tag.tag.padEnd(13)} precision ${fixed(tag.precision, 2)}  recall ${fixed(tag.recall, 2)}   (tp ${tag.tp}, fp ${tag.fp}, fn ${tag.fn})`);
    }
  } else lines.push('tags: not measured (the labels carry no tags)');
  const cost = llm.costUsd === null ? 'cost unknown (set LLM_PRICE_INPUT_PER_MTOK and LLM_PRICE_OUTPUT_PER_MTOK)' : `est. cost $${llm.costUsd.toFixed(4)}`;
  lines.push(
    `LLM: ${llm.requests} requests, ${llm.cached} verdicts from cache, ${llm.totalTokens} tokens (${llm.promptTokens} prompt + ${llm.completionTokens} completion), ${cost}`,
  );
  const confidence = [...metrics.falsePositives, ...metrics.falseNegatives].some((mistake) => mistake.score !== null) ? ', most confident first' : '';
  lines.push(`false positives (${metrics.falsePositives.length} of ${metrics.relevance.fp}${confidence}):`, ...metrics.falsePositives.map(mistakeLine));
  lines.push(`false negatives (${metrics.falseNegatives.length} of ${metrics.relevance.fn}${confidence}):`, ...metrics.falseNegatives.map(mistakeLine));
  if (report.error) lines.push(`eval FAILED: ${report.error}`);
  return lines.join('\n');
}
