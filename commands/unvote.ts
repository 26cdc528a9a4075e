import type { Command } from './command.ts';
import { textOption } from './command.ts';
import { voteOnPaper } from './vote-on-paper.ts';

/** `/unvote 2512.16473`: takes back your 👍 or 👎 on a paper. */
export const unvoteCommand: Command = {
  name: 'unvote',
  aliases: [],
  description: 'Take back your relevant / not relevant vote on a paper',
  usage: '<arXiv id>',
  examples: ['unvote 2512.16473'],
  options: [textOption('paper', 'The arXiv id, e.g. 2512.16473', null, true)],
  async run(ctx, input) {
    return (await voteOnPaper(ctx, { paperId: input.text, value: null, source: 'command' })).reply;
  },
};
