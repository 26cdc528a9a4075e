import { absUrl } from '../domain/arxiv-id.ts';
import { dayIn } from '../domain/calendar.ts';
import { describeNarrowing, describeQuery } from '../domain/describe-query.ts';
import { UserError } from '../domain/errors.ts';
import { isEmptyQuery, parseQuery } from '../domain/query.ts';
import { clean } from '../platforms/console/render-reply.ts';
import { DEFAULT_TUNING, searchPapers } from '../store/search.ts';
import { parseOptions, positiveInt } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage =
  'lmsys-papers search "<query>" [--limit N] [--json]   (the /papers query language: tags, dates, words, "phrases", -words, author:Name, a OR b, like:<arXiv id>)';

export const searchCommand: CliCommand = {
  name: 'search',
  usage,
  summary: 'search the relevant papers with the /papers query language (tags, dates, words)',
  async run(args, app, io) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, limit: { type: 'string' } }, usage);
    const text = positionals.join(' ').trim();
    if (!text) throw new UserError(`what should I search for?\nusage: ${usage}`);
    const query = parseQuery(text, { vocabulary: app.vocabulary, today: dayIn(app.now(), app.config.DIGEST_TIMEZONE) });
    if (isEmptyQuery(query)) throw new UserError(`nothing searchable in "${text}": use words, tags (MoE) or dates (last week)`);
    const paging = { limit: positiveInt(values.limit, 'limit', 10), offset: 0 };
    const { papers, narrowed, query: searched } = query.like ? await app.similar.find(query, paging) : await searchPapers(app.db, query, paging);
    if (narrowed) io.stderr.write(`${describeNarrowing(searched, DEFAULT_TUNING.broad).replaceAll('`', '')}\n`);
    if (values.json) {
      print(io.stdout, JSON.stringify(papers, null, 2));
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
