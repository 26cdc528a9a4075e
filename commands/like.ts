import type { Command } from './command.ts';
import { textOption } from './command.ts';
import { voteOnPaper } from './vote-on-paper.ts';

/** `/like 2512.16473`: marks a paper relevant, as 👍 on it in a digest does. */
export const likeCommand: Command = {
  name: 'like',
  aliases: [],
  description: 'Mark a paper relevant for the group (👍), by its arXiv id',
  usage: '<arXiv id>',
  examples: ['like 2512.16473', 'like https://arxiv.org/abs/2512.16473'],
  options: [textOption('paper', 'The arXiv id, e.g. 2512.16473', null, true)],
  async run(ctx, input) {
    return (await voteOnPaper(ctx, { paperId: input.text, value: 'relevant', source: 'command' })).reply;
  },
};
