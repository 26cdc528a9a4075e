import { mulberry32 } from './realistic-day.ts';

/**
 * What a research group's members follow, as `/subscribe` input: one to four subscriptions each,
 * mostly tags (weighted: serving and training are followed far more than video), then keywords,
 * phrases and a few authors. Deterministic: the same people every run.
 */
const TAGS: readonly (readonly [string, number])[] = [
  ['serving', 25],
  ['training', 15],
  ['MoE', 10],
  ['kernel', 8],
  ['quantization', 8],
  ['offloading', 6],
  ['RL', 5],
  ['thinking', 4],
  ['sparse', 4],
  ['RAG', 3],
  ['agentic', 3],
  ['hardware', 3],
  ['networking', 2],
  ['storage', 2],
  ['edge', 2],
  ['multi-modal', 2],
  ['video', 1],
  ['diffusion', 1],
  ['offline', 1],
];
const KEYWORDS = [
  'kv cache',
  'speculative decoding',
  'pipeline parallelism',
  'disaggregated',
  'prefix caching',
  'attention',
  'tensor parallelism',
  'long context',
  'lora',
  'checkpointing',
  'scheduling',
  'gpu cluster',
  'expert parallelism',
  'tail latency',
  'throughput',
  'compression',
];
const PHRASES = ['"kv cache"', '"speculative decoding"', '"mixture of experts"', '"large language models"'];
const AUTHORS = ['author:Song Han', 'author:Ion Stoica', 'author:Tri Dao', 'author:Zhihao Jia'];

export function realisticSubscriptions(people: number, seed = 7): { userId: string; inputs: string[] }[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const total = TAGS.reduce((sum, [, weight]) => sum + weight, 0);
  const tag = () => {
    let roll = random() * total;
    for (const [name, weight] of TAGS) {
      roll -= weight;
      if (roll < 0) return name;
    }
    return 'serving';
  };
  return Array.from({ length: people }, (_, index) => {
    const count = 1 + Math.floor(random() * 4);
    const inputs = Array.from({ length: count }, () => {
      const roll = random();
      if (roll < 0.55) return tag();
      if (roll < 0.85) return pick(KEYWORDS);
      if (roll < 0.95) return pick(PHRASES);
      return pick(AUTHORS);
    });
    return { userId: `user-${String(index + 1).padStart(5, '0')}`, inputs: [...new Set(inputs)] };
  });
}
