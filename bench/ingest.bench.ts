import type { Benchmark } from './run.ts';

export const ingestBench: Benchmark = {
  name: 'ingest',
  summary: 'placeholder, filled in by the foundation benchmarks',
  async run() {},
};
