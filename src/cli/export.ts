import { writeFile } from 'node:fs/promises';
import { dayIn } from '../domain/calendar.ts';
import { UserError } from '../domain/errors.ts';
import { renderReadme } from '../markdown/render-readme.ts';
import { relevantPapersBetween } from '../store/papers.ts';
import { dayOption, parseOptions } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers export markdown [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.md]';

export const exportCommand: CliCommand = {
  name: 'export',
  usage,
  summary: 'write the archive in the original README format (to stdout or --out)',
  async run(args, app, io) {
    const { values, positionals } = parseOptions(args, { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } }, usage);
    if (positionals[0] !== 'markdown' || positionals.length > 1) throw new UserError(`the only export format is markdown\nusage: ${usage}`);
    const from = dayOption(values.from, 'from') ?? '0000-01-01';
    const to = dayOption(values.to, 'to') ?? '9999-12-31';
    const papers = await relevantPapersBetween(app.db, from, to);
    const markdown = renderReadme(papers, {
      tags: app.vocabulary.names(),
      categories: app.config.ARXIV_CATEGORIES,
      updatedOn: dayIn(app.now(), app.config.DIGEST_TIMEZONE),
    });
    if (typeof values.out === 'string') {
      await writeFile(values.out, markdown);
      print(io.stderr, `exported ${papers.length} papers to ${values.out}`);
    } else {
      io.stdout.write(markdown);
    }
    return 0;
  },
};
