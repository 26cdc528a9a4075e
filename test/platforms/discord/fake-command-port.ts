import type { VoteAnswer, VoteRequest } from '../../../commands/vote-on-paper.ts';
import type { PaperView, Reply } from '../../../src/domain/reply.ts';
import type { CommandInput, CommandPort, DiscordCaller, SlashCommand } from '../../../src/platforms/discord/command-port.ts';

export type PortCall = { readonly name: string; readonly caller: DiscordCaller; readonly input: CommandInput };

const text = (name: string, description: string, autocomplete: boolean, required = false) => ({ name, description, required, autocomplete, maxLength: 500 });

/** A command core that records what the adapter asked and answers what the test scripted. */
export class FakeCommandPort implements CommandPort {
  readonly commands: readonly SlashCommand[] = [
    { name: 'papers', description: 'Search the paper archive', options: [text('query', 'Tags, dates and words', true)] },
    { name: 'subscribe', description: 'Get alerts for a tag', options: [text('what', 'A tag, keyword or author', true, true)] },
    { name: 'subscriptions', description: 'What you follow', options: [] },
    { name: 'digest', description: 'Daily digest in this channel', options: [text('setting', 'here, off or status', true)] },
  ];
  readonly calls: PortCall[] = [];
  readonly completions: PortCall[] = [];
  answer: (call: PortCall) => Reply | Promise<Reply> = () => ({ text: 'ok', private: true });
  suggest: (partial: string) => readonly string[] = () => [];

  async run(name: string, caller: DiscordCaller, input: CommandInput): Promise<Reply> {
    const call = { name, caller, input };
    this.calls.push(call);
    return this.answer(call);
  }

  async complete(name: string, caller: DiscordCaller, partial: string): Promise<readonly string[]> {
    this.completions.push({ name, caller, input: { text: partial } });
    return this.suggest(partial);
  }

  readonly votes: { caller: DiscordCaller; request: VoteRequest }[] = [];

  async vote(caller: DiscordCaller, request: VoteRequest): Promise<VoteAnswer> {
    this.votes.push({ caller, request });
    return { reply: { text: `voted ${request.value ?? 'back'} on ${request.paperId}`, private: true }, quiet: false, change: 'new' };
  }
}

export function samplePaper(index: number, change: Partial<PaperView> = {}): PaperView {
  const id = `2512.${String(16000 + index).padStart(5, '0')}`;
  return {
    id,
    version: 1,
    title: `Expert offloading for MoE serving, part ${index}`,
    url: `https://arxiv.org/abs/${id}v1`,
    pdfUrl: `https://arxiv.org/pdf/${id}v1`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    tags: ['MoE', 'serving'],
    day: '2025-12-18',
    tldr: 'Moves cold experts to CPU memory and prefetches them, for 2.1× higher throughput.',
    ...change,
  };
}
