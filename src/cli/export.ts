import { writeFile } from 'node:fs/promises';
import { dayIn } from '../domain/calendar.ts';
import { UserError } from '../domain/errors.ts';
import { renderReadme } from '../markdown/render-readme.ts';
import { emptyArchiveNote } from '../store/archive-location.ts';
import { relevantPapersBetween } from '../store/papers.ts';
import { newestPaperPk } from '../store/search.ts';
import { dayOption, parseOptions } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers export markdown [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.md]';
const options = { from: { type: 'string', value: 'day' }, to: { type: 'string', value: 'day' }, out: { type: 'string' } } as const;

export const exportCommand: CliCommand = {
  name: 'export',
  usage,
  summary: 'write the archive in the original README format (to stdout or --out)',
  help: `
Writes the relevant papers of the archive in the original daily-papers README format (the one
\`lmsys-papers import\` reads), newest day first, to stdout.

  --from D     only papers announced on D or later
  --to D       only papers announced on D or earlier
  --out FILE   write to FILE instead of stdout

Example: lmsys-papers export markdown --from 2025-12-01 --out README.md`,
  options,
  maxPositionals: 1,
  checkPositionals(positionals) {
    if (positionals[0] !== 'markdown' || positionals.length > 1) throw new UserError(`the only export format is markdown\nusage: ${usage}`);
  },
  async run(args, app, io) {
    const { values } = parseOptions(args, options, usage);
    const from = dayOption(values.from, 'from') ?? '0000-01-01';
    const to = dayOption(values.to, 'to') ?? '9999-12-31';
    const papers = await relevantPapersBetween(app.db, from, to);
    if (papers.length === 0 && (await newestPaperPk(app.db)) === null) print(io.stderr, emptyArchiveNote(app.db.path));
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
