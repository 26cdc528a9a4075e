/**
 * The fixed tag vocabulary. Tags are never invented at run time: anything outside the configured
 * vocabulary is corrected to a known tag (case, synonym) or rejected.
 */
export type TagDefinition = {
  readonly name: string;
  readonly definition: string;
  /**
   * Lower-case alternate names that unambiguously mean this tag, in user queries and LLM answers.
   * Kept narrow on purpose: a query word that resolves to a tag becomes a filter, not search text.
   */
  readonly synonyms: readonly string[];
};

export type TagVocabulary = {
  readonly tags: readonly TagDefinition[];
  /** Canonical name for a tag name or synonym, case-insensitive; null when it is not a tag. */
  resolve(word: string): string | null;
  names(): readonly string[];
};

/** The 19 tags of the original README, in its order. */
export const DEFAULT_TAGS: readonly TagDefinition[] = [
  {
    name: 'serving',
    definition: 'LLM inference and serving systems: batching, scheduling, KV cache management, latency/throughput of online or offline inference.',
    synonyms: ['inference', 'llm serving'],
  },
  {
    name: 'training',
    definition: 'Systems for pre-training or fine-tuning large models: parallelism, checkpointing, fault tolerance, communication in training.',
    synonyms: ['pretraining', 'pre-training', 'fine-tuning', 'finetuning'],
  },
  {
    name: 'offline',
    definition: 'Offline or batch workloads: throughput-oriented batch inference, data processing and scheduling without latency targets.',
    synonyms: ['batch inference'],
  },
  {
    name: 'thinking',
    definition: 'Reasoning models and test-time compute: long chain-of-thought generation, reasoning efficiency, speculative or early-exit reasoning.',
    synonyms: ['reasoning', 'test-time compute', 'chain of thought'],
  },
  {
    name: 'RL',
    definition: 'Reinforcement-learning post-training systems for LLMs: rollout generation, RLHF/GRPO pipelines, actor/learner placement.',
    synonyms: ['rlhf', 'reinforcement learning', 'grpo'],
  },
  {
    name: 'MoE',
    definition: 'Mixture-of-Experts models: expert parallelism, routing, expert placement, all-to-all communication, expert offloading.',
    synonyms: ['mixture of experts', 'mixture-of-experts', 'moes', 'expert parallelism'],
  },
  {
    name: 'RAG',
    definition: 'Retrieval-augmented generation systems: vector search, retrieval pipelines and their serving infrastructure.',
    synonyms: ['retrieval-augmented generation', 'retrieval augmented generation'],
  },
  { name: 'video', definition: 'Systems for video generation or video understanding models.', synonyms: ['video generation'] },
  {
    name: 'multi-modal',
    definition: 'Systems for multi-modal models (vision-language, audio, omni models) and their encoders.',
    synonyms: ['multimodal', 'multi modal', 'vlm', 'vision-language', 'vision language'],
  },
  {
    name: 'sparse',
    definition: 'Sparsity for efficiency: sparse attention, pruning, sparse kernels, token or KV eviction.',
    synonyms: ['sparsity', 'sparse attention'],
  },
  {
    name: 'quantization',
    definition: 'Low-precision weights, activations or KV cache (INT8/INT4/FP8/FP4) and the kernels and systems that use them.',
    synonyms: ['quant', 'quantized', 'low-bit'],
  },
  {
    name: 'offloading',
    definition: 'Moving weights, KV cache, activations or computation between GPU, CPU, disk or remote devices; edge-cloud task offloading.',
    synonyms: ['offload'],
  },
  {
    name: 'hardware',
    definition: 'Accelerators and hardware design or co-design for large models: GPUs, TPUs, NPUs, PIM, FPGAs, ASICs, interconnect hardware.',
    synonyms: ['accelerators'],
  },
  {
    name: 'storage',
    definition: 'Storage and memory systems for large models: checkpoint storage, KV cache stores, data loading, disaggregated memory, file systems.',
    synonyms: [],
  },
  {
    name: 'kernel',
    definition: 'GPU/accelerator kernels and compilers: attention kernels, GEMM, operator fusion, code generation, autotuning.',
    synonyms: ['kernels'],
  },
  { name: 'diffusion', definition: 'Systems for diffusion models and diffusion LLMs: serving, caching, parallel sampling.', synonyms: [] },
  {
    name: 'agentic',
    definition: 'Serving and infrastructure for LLM agents: tool calls, multi-agent workflows, agent scheduling and memory.',
    synonyms: ['agentic ai', 'multi-agent', 'llm agents'],
  },
  { name: 'edge', definition: 'Large models on edge, mobile or embedded devices, and edge-cloud collaboration.', synonyms: ['mobile', 'on-device'] },
  {
    name: 'networking',
    definition: 'Networks for large-model workloads: collectives, interconnects, RDMA, datacenter networks, communication scheduling.',
    synonyms: ['collectives', 'rdma', 'interconnect'],
  },
];

export function createVocabulary(tags: readonly TagDefinition[] = DEFAULT_TAGS): TagVocabulary {
  const lookup = new Map<string, string>();
  for (const tag of tags) {
    lookup.set(tag.name.toLowerCase(), tag.name);
  }
  // Names win over synonyms: a synonym never shadows another tag's own name.
  for (const tag of tags) {
    for (const synonym of tag.synonyms) {
      const key = synonym.toLowerCase();
      if (!lookup.has(key)) lookup.set(key, tag.name);
    }
  }
  const names = tags.map((tag) => tag.name);
  return {
    tags,
    resolve: (word) => lookup.get(word.trim().toLowerCase()) ?? null,
    names: () => names,
  };
}
