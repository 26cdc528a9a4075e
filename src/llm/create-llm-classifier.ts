import OpenAI from 'openai';
import type { Logger } from 'pino';
import type { TagVocabulary } from '../domain/tags.ts';
import type { ClassifyPrompt } from './classify-prompt.ts';
import type { LlmClassifier } from './llm-classifier.ts';
import { createOpenAiClassifier, type Sleep, type StructuredOutput } from './openai-classifier.ts';

export type LlmSettings = {
  readonly apiKey: string | undefined;
  readonly baseUrl: string | undefined;
  readonly model: string;
  readonly structuredOutput: StructuredOutput;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseMs: number;
};

/** An LLM is configured when there is a key (OpenAI) or a base URL (a local server needs no key). */
export function isLlmConfigured(settings: Pick<LlmSettings, 'apiKey' | 'baseUrl'>): boolean {
  return Boolean(settings.apiKey || settings.baseUrl);
}

/** The SDK's client for the configured server; our own code retries (maxRetries 0), so a stop is never held by the SDK's backoff. */
export function openAiClient(settings: Pick<LlmSettings, 'apiKey' | 'baseUrl' | 'timeoutMs'>, fetchImpl: typeof fetch | undefined): OpenAI {
  return new OpenAI({
    // The SDK refuses to start without a key; keyless local servers (vLLM, Ollama) ignore it.
    apiKey: settings.apiKey || 'no-key',
    baseURL: settings.baseUrl,
    timeout: settings.timeoutMs,
    maxRetries: 0,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

/** The OpenAI-compatible classifier, or null when no LLM is configured (the keyword classifier takes over). */
export function createLlmClassifier(
  settings: LlmSettings,
  dependencies: {
    prompt: ClassifyPrompt;
    vocabulary: TagVocabulary;
    sleep: Sleep;
    signal?: AbortSignal;
    now: () => number;
    log: Logger;
    fetch?: typeof fetch;
  },
): LlmClassifier | null {
  if (!isLlmConfigured(settings)) return null;
  const client = openAiClient(settings, dependencies.fetch);
  return createOpenAiClassifier({
    client,
    model: settings.model,
    structuredOutput: settings.structuredOutput,
    prompt: dependencies.prompt,
    vocabulary: dependencies.vocabulary,
    maxRetries: settings.maxRetries,
    retryBaseMs: settings.retryBaseMs,
    sleep: dependencies.sleep,
    ...(dependencies.signal ? { signal: dependencies.signal } : {}),
    now: dependencies.now,
    log: dependencies.log,
  });
}
