import type { Command } from './command.ts';
import { textOption } from './command.ts';
import { voteOnPaper } from './vote-on-paper.ts';

/** `/dislike 2512.16473`: marks a paper not relevant, as 👎 on it in a digest does. */
export const dislikeCommand: Command = {
  name: 'dislike',
  aliases: [],
  description: 'Mark a paper not relevant for the group (👎), by its arXiv id',
  usage: '<arXiv id>',
  examples: ['dislike 2512.16473'],
  options: [textOption('paper', 'The arXiv id, e.g. 2512.16473', null, true)],
  async run(ctx, input) {
    return (await voteOnPaper(ctx, { paperId: input.text, value: 'not-relevant', source: 'command' })).reply;
  },
};
