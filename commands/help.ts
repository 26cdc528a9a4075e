import type { Reply } from '../src/domain/reply.ts';
import type { Command, CommandContext, CommandInput } from './command.ts';
import { DOCUMENTED_COMMANDS as DOCUMENTED } from './documented.ts';
import { papersCommand } from './papers.ts';

const QUERY_LANGUAGE = [
  'How `/papers` reads a query:',
  '• tags by name or synonym, any case: `MoE`, `mixture of experts`, `inference` (= `serving`), `quant`, `rlhf`; several tags = papers with all of them',
  '• dates (announcement days): `today`, `yesterday`, `this week`, `last week`, `past 3 days`, `last 2 weeks`, `this month`, `last month`, `2025-12`, `dec 2025`, `2025-12-01..2025-12-15`, `since 2025-12-01`, `before 2026-01-01`',
  '• everything else is text in the title, abstract, TL;DR or authors: words (all must appear, `decoding` also finds `decode`), `"exact phrases"`, `-excluded` words, `author:Name` or `author:"First Last"`; `-MoE`, `-tag:MoE`, `-author:Name` leave them out',
  '• `OR` between two tags, words, phrases or authors: either will do (`MoE OR serving`, `"kv cache" OR offloading`); it binds only its two neighbours, so `kv MoE OR serving` is kv and (MoE or serving)',
  '• `include:dropped`: also the papers the filter left out and those the group marked not relevant (each says which), to find one that belongs and mark it relevant',
  '• results: best text match first (newest first when there are no words), 8 per page with a button for more',
  '• once you have marked 5 papers 👍 and 3 👎, results that match equally well (or, without words, come from the same day) are in the order your votes teach; `for me [dates]` lists the papers of a period (default the last 7 days) your votes score best, each with why',
];

export const helpCommand: Command = {
  name: 'papers-help',
  aliases: ['help'],
  description: 'What each paper-bot command does, with examples',
  usage: '[command]',
  examples: ['papers-help', 'papers-help papers'],
  options: [
    { name: 'command', type: 'string', description: 'A command to explain in detail, e.g. papers', required: false, autocomplete: 'commands', maxLength: 32 },
  ],
  run: help,
  async complete(_ctx, partial) {
    const typed = partial.trim().toLowerCase().replace(/^\//, '');
    return DOCUMENTED.map((command) => command.name).filter((name) => name.startsWith(typed));
  },
};

async function help(ctx: CommandContext, input: CommandInput): Promise<Reply> {
  const wanted = input.text.trim().replace(/^\//, '').toLowerCase();
  const command = DOCUMENTED.find((candidate) => candidate.name === wanted);
  if (command) return { text: detail(command).join('\n'), private: true };
  const lines = [
    'Daily arXiv papers on systems for large models (cs.DC, cs.OS, cs.LG), searchable here.',
    '',
    ...DOCUMENTED.map(
      (candidate) => `\`/${candidate.name}${candidate.usage ? ` ${candidate.usage}` : ''}\` — ${candidate.description}. Example: \`/${candidate.examples[0]}\``,
    ),
    '',
    ...QUERY_LANGUAGE,
    '',
    `Tags: ${ctx.services.vocabulary
      .names()
      .map((name) => `\`${name}\``)
      .join(' ')}`,
    wanted ? `(There is no command “${wanted.replace(/[^\p{L}\p{N}-]/gu, '')}”; these are all of them.)` : 'More on one command: `/papers-help papers`.',
  ];
  return { text: lines.join('\n'), private: true };
}

function detail(command: Command): string[] {
  const lines = [`\`/${command.name}${command.usage ? ` ${command.usage}` : ''}\` — ${command.description}.`, 'Examples:'];
  for (const example of command.examples) lines.push(`• \`/${example}\``);
  if (command === papersCommand) lines.push('', ...QUERY_LANGUAGE);
  return lines;
}
