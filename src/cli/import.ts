import { readFile } from 'node:fs/promises';
import { UserError } from '../domain/errors.ts';
import { importReadme } from '../pipeline/import-readme.ts';
import { parseOptions } from './args.ts';
import { type CliCommand, print } from './cli-command.ts';

const usage = 'lmsys-papers import <file.md>';

export const importCommand: CliCommand = {
  name: 'import',
  usage,
  summary: 'import a README in the original daily-papers format as classified papers',
  help: `
Imports a README in the original daily-papers format (\`### YYYY-MM-DD\` headings, one line per
paper with its tags and TL;DR) as classified papers announced on those days. Duplicates merge
into one paper; tags outside the vocabulary are corrected through their synonyms or dropped.
Importing the same file again adds nothing.

Afterwards \`lmsys-papers ingest\` catches up from the README's last day, and
\`lmsys-papers digest --date D\` can post any imported day.

Example: lmsys-papers import test/fixtures/seed-readme.md`,
  options: {},
  maxPositionals: 1,
  checkPositionals(positionals) {
    if (!positionals[0] || positionals.length > 1) throw new UserError(`expected one markdown file\nusage: ${usage}`);
  },
  async run(args, app, io) {
    const { positionals } = parseOptions(args, {}, usage);
    const [file = ''] = positionals;
    const markdown = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UserError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    const report = await importReadme(app.db, markdown, app.vocabulary, app.now);
    const present = report.alreadyPresent ? `, ${report.alreadyPresent} already in the archive` : '';
    print(io.stdout, `imported ${report.imported} papers (${report.duplicatesMerged} duplicates merged${present})`);
    if (report.correctedTags.size) {
      print(io.stderr, `corrected tags: ${[...report.correctedTags].map(([from, to]) => `${from} → ${to}`).join(', ')}`);
    }
    if (report.droppedTags.size) {
      print(io.stderr, `dropped tags outside the vocabulary: ${[...report.droppedTags].map(([tag, n]) => `${tag} (${n})`).join(', ')}`);
    }
    for (const problem of report.problems) print(io.stderr, `line ${problem.line} skipped: ${problem.reason}`);
    return 0;
  },
};
