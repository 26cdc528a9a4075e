import type { OpenAI } from 'openai';
import type { Logger } from 'pino';
import { z } from 'zod';
import { StoppedError } from '../stopping.ts';
import { backoffMs } from './backoff.ts';
import type { Embedder, EmbeddingOutcome } from './embedder.ts';
import { describeFailure, type Sleep } from './openai-classifier.ts';

export type OpenAiEmbedderOptions = {
  /** Built with `maxRetries: 0`: retries happen here, where they are counted and logged. */
  readonly client: OpenAI;
  readonly model: string;
  /** Asked of the server (text-embedding-3 models shorten their vectors); null: the model's own size. */
  readonly dimensions: number | null;
  readonly batchSize: number;
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  readonly sleep: Sleep;
  readonly now: () => number;
  readonly log: Logger;
  /** The process is stopping: the request under way is cut and StoppedError thrown (as the classifier does). */
  readonly signal?: AbortSignal;
};

/** The fields used of `POST /v1/embeddings` (the SDK has already decoded base64 vectors into numbers). */
const EmbeddingsResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number().int().min(0) }).nullish(),
});

/** A rough chars-per-token ratio for English, for estimates (and servers that omit usage). */
const CHARS_PER_TOKEN = 4;

/**
 * Embeds texts through an OpenAI-compatible `/v1/embeddings`, a batch per request. 429, 5xx,
 * timeouts and connection errors are retried with backoff honouring Retry-After; a refusal (401,
 * 400) or an answer of the wrong shape ends the call as `unavailable`, with no vectors. A stop cuts
 * the request under way (OPENAI_TIMEOUT_MS is a minute) and throws StoppedError.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const space = options.dimensions ? `${options.model}@${options.dimensions}` : options.model;
  return {
    space,
    batchSize: options.batchSize,
    estimateTokens: (texts) => texts.reduce((sum, text) => sum + Math.ceil(text.length / CHARS_PER_TOKEN), 0),
    async embed(texts) {
      let requests = 0;
      for (let attempt = 1; ; attempt++) {
        if (options.signal?.aborted) throw new StoppedError();
        requests++;
        try {
          const response = await options.client.embeddings.create(
            {
              model: options.model,
              input: [...texts],
              ...(options.dimensions ? { dimensions: options.dimensions } : {}),
            },
            options.signal ? { signal: options.signal } : {},
          );
          return read(response, texts, requests);
        } catch (error) {
          if (options.signal?.aborted) throw new StoppedError();
          const failure = describeFailure(error, options.now());
          if (!failure.retryable || attempt > options.maxRetries) {
            options.log.error({ texts: texts.length, attempts: attempt, status: failure.status, reason: failure.message }, 'embeddings unavailable');
            return { vectors: [], tokens: 0, requests, retries: requests - 1, unavailable: failure.message };
          }
          const delayMs = backoffMs(attempt, options.retryBaseMs, failure.retryAfterMs);
          options.log.warn({ attempt, delayMs, status: failure.status, reason: failure.message }, 'embeddings request failed, retrying');
          await options.sleep(delayMs);
        }
      }
    },
  };

  function read(response: unknown, texts: readonly string[], requests: number): EmbeddingOutcome {
    const parsed = EmbeddingsResponseSchema.safeParse(response);
    const retries = requests - 1;
    if (!parsed.success) return { vectors: [], tokens: 0, requests, retries, unavailable: 'embeddings answer outside the expected shape' };
    const byIndex = new Map(parsed.data.data.map((item) => [item.index, item.embedding]));
    const vectors: Float32Array[] = [];
    for (let index = 0; index < texts.length; index++) {
      const vector = unitVector(byIndex.get(index));
      if (!vector || (vectors[0] && vector.length !== vectors[0].length)) {
        return { vectors: [], tokens: 0, requests, retries, unavailable: `embeddings answer has no usable vector for input ${index}` };
      }
      vectors.push(vector);
    }
    const tokens = parsed.data.usage?.prompt_tokens ?? texts.reduce((sum, text) => sum + Math.ceil(text.length / CHARS_PER_TOKEN), 0);
    return { vectors, tokens, requests, retries, unavailable: null };
  }
}

/** Scaled to length 1 (OpenAI's already are; other servers' may not be), so a dot product is a cosine. */
function unitVector(values: readonly number[] | undefined): Float32Array | null {
  if (!values?.length || !values.every(Number.isFinite)) return null;
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) return null;
  const length = Math.sqrt(norm);
  for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] as number) / length;
  return vector;
}
