import type { Logger } from 'pino';
import { ConfigError } from '../config.ts';
import { isLlmConfigured, type LlmSettings, openAiClient } from './create-llm-classifier.ts';
import type { Embedder } from './embedder.ts';
import type { Sleep } from './openai-classifier.ts';
import { createOpenAiEmbedder } from './openai-embedder.ts';

/**
 * Papers per embeddings request. The API takes up to 2,048 inputs and 300,000 tokens per request;
 * 128 papers are about 60,000 tokens, and a failed request loses little.
 */
export const EMBEDDING_BATCH_SIZE = 128;

export type EmbeddingSettings = Pick<LlmSettings, 'apiKey' | 'baseUrl' | 'timeoutMs' | 'maxRetries' | 'retryBaseMs'> & {
  readonly model: string | undefined;
  readonly dimensions: number | undefined;
};

/** The embeddings client when OPENAI_EMBEDDING_MODEL is set, else null ("more like this" compares words). */
export function createEmbedder(
  settings: EmbeddingSettings,
  dependencies: { sleep: Sleep; now: () => number; log: Logger; fetch?: typeof fetch; signal?: AbortSignal },
): Embedder | null {
  if (!settings.model) return null;
  if (!isLlmConfigured(settings)) {
    throw new ConfigError(
      'invalid configuration:\n  OPENAI_EMBEDDING_MODEL needs a server: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (a compatible server)',
    );
  }
  return createOpenAiEmbedder({
    client: openAiClient(settings, dependencies.fetch),
    model: settings.model,
    dimensions: settings.dimensions ?? null,
    batchSize: EMBEDDING_BATCH_SIZE,
    maxRetries: settings.maxRetries,
    retryBaseMs: settings.retryBaseMs,
    sleep: dependencies.sleep,
    now: dependencies.now,
    log: dependencies.log,
    ...(dependencies.signal ? { signal: dependencies.signal } : {}),
  });
}
