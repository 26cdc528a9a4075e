import { COMMANDS } from '../../../commands/index.ts';
import type { VoteAnswer, VoteRequest } from '../../../commands/vote-on-paper.ts';
import type { PaperView, Reply } from '../../../src/domain/reply.ts';
import type { CommandRequest, CommandRunner, SlackCaller } from '../../../src/platforms/slack/command-port.ts';

/** A command core stand-in that records what the adapter asked and answers with `answer`. */
export class RecordingRunner implements CommandRunner {
  readonly commands = COMMANDS.map((command) => ({ name: command.name }));
  readonly requests: CommandRequest[] = [];
  answer: (request: CommandRequest) => Reply = (request) => ({ text: `ran ${request.command}`, private: true });

  readonly votes: { caller: SlackCaller; request: VoteRequest }[] = [];

  async run(request: CommandRequest): Promise<Reply> {
    this.requests.push(request);
    return this.answer(request);
  }

  async vote(caller: SlackCaller, request: VoteRequest): Promise<VoteAnswer> {
    this.votes.push({ caller, request });
    return { reply: { text: `voted ${request.value ?? 'back'} on ${request.paperId}`, private: true }, quiet: false, change: 'new' };
  }
}

export function paperView(index: number, overrides: Partial<PaperView> = {}): PaperView {
  const id = `2512.${String(10_000 + index).padStart(5, '0')}`;
  return {
    id,
    version: 1,
    title: `Paper ${index}: Serving mixture-of-experts models on a budget`,
    url: `https://arxiv.org/abs/${id}v1`,
    pdfUrl: `https://arxiv.org/pdf/${id}v1`,
    authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],
    tags: ['serving', 'MoE'],
    day: '2025-12-18',
    tldr: 'Offloads cold experts to CPU memory and prefetches them one layer ahead, for 2.1× throughput on one GPU.',
    ...overrides,
  };
}

/** Every text string inside a JSON value (block texts, button labels, fallback text). */
export function textsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(textsIn);
  return [];
}
