import { absUrl } from '../domain/arxiv-id.ts';
import { dayIn } from '../domain/calendar.ts';
import { describeNarrowing, describeQuery } from '../domain/describe-query.ts';
import { UserError } from '../domain/errors.ts';
import { isEmptyQuery, parseQuery } from '../domain/query.ts';
import { clean } from '../platforms/console/render-reply.ts';
import { emptyArchiveNote } from '../store/archive-location.ts';
import { DEFAULT_TUNING, newestPaperPk, searchPapers } from '../store/search.ts';
import { parseOptions, positiveInt } from './args.ts';
import { type CliCommand, print, printJson } from './cli-command.ts';

const usage =
  'lmsys-papers search "<query>" [--limit N] [--json]   (the /papers query language: tags, dates, words, "phrases", -words, author:Name, a OR b, like:<arXiv id>)';
const options = { json: { type: 'boolean' }, limit: { type: 'string', value: 'count' } } as const;

export const searchCommand: CliCommand = {
  name: 'search',
  usage,
  summary: 'search the relevant papers with the /papers query language (tags, dates, words)',
  help: `
Searches the relevant papers of the archive with the /papers query language:
  tags         MoE, serving, "mixture of experts", quant, tag:kernel; -MoE excludes a tag
  dates        today, last week, past 3 days, 2025-12, dec 2025, since 2025-12-01, 2025-12-01..2025-12-15
  text         words (all must appear), "exact phrases", -word, author:Han or author:"Song Han"
  OR           between two tags, words, phrases or authors: MoE OR serving, "kv cache" OR offloading
Results with text are ranked by relevance, else newest first.

  --limit N   show at most N papers (default 10)
  --json      print the papers as JSON

A query that starts with "-" goes after "--": lmsys-papers search -- "-survey MoE".
Example: lmsys-papers search "MoE offloading 2025-12"`,
  options,
  maxPositionals: Number.POSITIVE_INFINITY,
  checkPositionals(positionals) {
    if (!positionals.join(' ').trim()) throw new UserError(`what should I search for?\nusage: ${usage}`);
  },
  async run(args, app, io) {
    const { values, positionals } = parseOptions(args, options, usage);
    const text = positionals.join(' ').trim();
    const query = parseQuery(text, { vocabulary: app.vocabulary, today: dayIn(app.now(), app.config.DIGEST_TIMEZONE) });
    if (isEmptyQuery(query)) throw new UserError(`nothing searchable in "${text}": use words, tags (MoE) or dates (last week)`);
    const paging = { limit: positiveInt(values.limit, 'limit', 10), offset: 0 };
    const { papers, narrowed, query: searched } = query.like ? await app.similar.find(query, paging) : await searchPapers(app.db, query, paging);
    // An empty archive is most often the wrong one (a command run from another folder): say which file.
    if (papers.length === 0 && (await newestPaperPk(app.db)) === null) print(io.stderr, emptyArchiveNote(app.db.path));
    if (narrowed) io.stderr.write(`${describeNarrowing(searched, DEFAULT_TUNING.broad).replaceAll('`', '')}\n`);
    if (values.json) {
      printJson(io.stdout, papers);
      return 0;
    }
    if (papers.length === 0) {
      print(io.stdout, `no ${describeQuery(query).replaceAll('`', '')}`);
      return 0;
    }
    // Titles and TL;DRs are untrusted: cleaned of control characters as the repl cleans them (an ESC could repaint the terminal).
    for (const paper of papers) {
      const tags = paper.classification.tags.map((tag) => `[${clean(tag)}]`).join(' ');
      print(io.stdout, `${paper.announcedOn ?? '          '}  ${clean(paper.title)}\n            ${absUrl(paper.id)}  ${tags}`);
      if (paper.classification.tldr) print(io.stdout, `            ${clean(paper.classification.tldr)}`);
    }
    return 0;
  },
};
