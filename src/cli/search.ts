import { absUrl } from '../domain/arxiv-id.ts';
import { UserError } from '../domain/errors.ts';
import { searchRelevant } from '../store/search.ts';
import { parseOptions, positiveInt } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers search "<words>" [--limit N] [--json]';

export const searchCommand: CliCommand = {
  name: 'search',
  usage,
  summary: 'full-text search over the relevant papers of the archive',
  async run(args, app, io) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, limit: { type: 'string' } }, usage);
    const text = positionals.join(' ').trim();
    if (!text) throw new UserError(`what should I search for?\nusage: ${usage}`);
    const papers = await searchRelevant(app.db, text, positiveInt(values.limit, 'limit', 10));
    if (values.json) {
      print(io.stdout, JSON.stringify(papers, null, 2));
      return 0;
    }
    if (papers.length === 0) {
      print(io.stdout, `no relevant papers match "${text}"`);
      return 0;
    }
    for (const paper of papers) {
      const tags = paper.classification.tags.map((tag) => `[${tag}]`).join(' ');
      print(io.stdout, `${paper.announcedOn ?? '          '}  ${paper.title}\n            ${absUrl(paper.id)}  ${tags}`);
      if (paper.classification.tldr) print(io.stdout, `            ${paper.classification.tldr}`);
    }
    return 0;
  },
};
