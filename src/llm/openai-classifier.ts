import { APIConnectionError, APIError, type OpenAI } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { Logger } from 'pino';
import type { TagVocabulary } from '../domain/tags.ts';
import { StoppedError } from '../stopping.ts';
import { type AnswerSchemas, createAnswerSchemas } from './answer-schema.ts';
import { backoffMs, retryAfterMs } from './backoff.ts';
import type { ClassifyPrompt } from './classify-prompt.ts';
import type { BatchOutcome, LlmClassifier, TokenUsage } from './llm-classifier.ts';
import { type AnswerCorrections, type ParsedBatch, parseBatchAnswer } from './parse-batch-answer.ts';
import type { PaperText } from './verdict.ts';

export type StructuredOutput = 'json_schema' | 'json_object';
export type Sleep = (ms: number) => Promise<void>;

export type OpenAiClassifierOptions = {
  /** Built with `maxRetries: 0`: retries happen here, where they are counted and logged. */
  readonly client: OpenAI;
  readonly model: string;
  readonly structuredOutput: StructuredOutput;
  readonly prompt: ClassifyPrompt;
  readonly vocabulary: TagVocabulary;
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  /** Backoff waits; ends with StoppedError when the process stops. */
  readonly sleep: Sleep;
  /** The process is stopping: the request under way is cut and StoppedError thrown, the batch left as it was. */
  readonly signal?: AbortSignal;
  readonly now: () => number;
  readonly log: Logger;
};

/** Answer room per paper: a TL;DR of 60 words is about 80 tokens, plus id, tags and JSON. */
export const COMPLETION_TOKENS_PER_PAPER = 160;
const COMPLETION_TOKENS_OVERHEAD = 64;
/** A rough chars-per-token ratio for English, used only for estimates (and servers that omit usage). */
const CHARS_PER_TOKEN = 4;

type Asked = { content: string | null; usage: TokenUsage; requests: number; retries: number };

class Unavailable extends Error {
  readonly requests: number;
  readonly retries: number;
  constructor(message: string, requests: number, retries: number) {
    super(message);
    this.requests = requests;
    this.retries = retries;
  }
}

/**
 * Classifies a batch of papers in one chat completion. The answer is matched to papers by id; papers
 * whose answer is missing or outside the schema are asked about once more (alone, as a smaller
 * batch), then reported as failures with the reason. 429, 5xx, timeouts and connection errors are
 * retried with exponential backoff that honours Retry-After.
 */
export function createOpenAiClassifier(options: OpenAiClassifierOptions): LlmClassifier {
  const schemas = createAnswerSchemas(options.vocabulary.names());
  const responseFormat =
    options.structuredOutput === 'json_schema' ? zodResponseFormat(schemas.BatchAnswerSchema, 'paper_verdicts') : ({ type: 'json_object' } as const);

  async function ask(papers: readonly PaperText[]): Promise<Asked> {
    const usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
    const user = options.prompt.user(papers);
    for (let attempt = 1; ; attempt++) {
      if (options.signal?.aborted) throw new StoppedError();
      try {
        const completion = await options.client.chat.completions.create(
          {
            model: options.model,
            messages: [
              { role: 'system', content: options.prompt.system },
              { role: 'user', content: user },
            ],
            response_format: responseFormat,
            max_tokens: completionBudget(papers.length),
            temperature: 0,
          },
          options.signal ? { signal: options.signal } : {},
        );
        const choice = completion.choices[0];
        const content = choice?.message.refusal ? null : (choice?.message.content ?? null);
        usage.promptTokens += completion.usage?.prompt_tokens ?? estimate(options.prompt.system.length + user.length);
        usage.completionTokens += completion.usage?.completion_tokens ?? estimate(content?.length ?? 0);
        if (choice?.finish_reason === 'length') options.log.warn({ papers: papers.length }, 'llm answer cut at max_tokens');
        return { content, usage, requests: attempt, retries: attempt - 1 };
      } catch (error) {
        if (options.signal?.aborted) throw new StoppedError();
        const failure = describeFailure(error, options.now());
        if (!failure.retryable || attempt > options.maxRetries) throw new Unavailable(failure.message, attempt, attempt - 1);
        const delayMs = backoffMs(attempt, options.retryBaseMs, failure.retryAfterMs);
        options.log.warn({ attempt, delayMs, status: failure.status, reason: failure.message }, 'llm request failed, retrying');
        await options.sleep(delayMs);
      }
    }
  }

  return {
    model: options.model,
    promptHash: options.prompt.hash,
    estimateTokens: (papers) => estimate(options.prompt.system.length + options.prompt.user(papers).length) + completionBudget(papers.length),
    withCorrections: (corrections) => createOpenAiClassifier({ ...options, prompt: options.prompt.withCorrections(corrections) }),
    async classifyBatch(papers) {
      const outcome = emptyOutcome();
      let round = await attemptRound(papers, outcome);
      if (!round || round.problems.size === 0) return outcome;
      const again = papers.filter((paper) => round?.problems.has(paper.id));
      outcome.reasked += again.length;
      options.log.info({ papers: again.length, reasons: [...new Set(round.problems.values())] }, 'llm answer outside the schema, asking once more');
      const first = round;
      round = await attemptRound(again, outcome);
      if (!round) return outcome;
      for (const [id, reason] of round.problems) outcome.failures.set(id, `${reason} (first answer: ${first.problems.get(id)})`);
      return outcome;
    },
  };

  /** One request for `papers`; verdicts and failures go into `outcome`. Null when the server is unavailable. */
  async function attemptRound(papers: readonly PaperText[], outcome: MutableOutcome): Promise<ParsedBatch | null> {
    try {
      const asked = await ask(papers);
      outcome.requests += asked.requests;
      outcome.retries += asked.retries;
      outcome.usage.promptTokens += asked.usage.promptTokens;
      outcome.usage.completionTokens += asked.usage.completionTokens;
      const parsed = parseBatchAnswer(
        asked.content,
        papers.map((paper) => paper.id),
        schemas,
        options.vocabulary,
      );
      for (const [id, verdict] of parsed.verdicts) outcome.verdicts.set(id, verdict);
      addCorrections(outcome.corrections, parsed.corrections);
      return parsed;
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      outcome.requests += error.requests;
      outcome.retries += error.retries;
      outcome.unavailable = error.message;
      for (const paper of papers) outcome.failures.set(paper.id, `LLM request failed: ${error.message}`);
      options.log.error({ papers: papers.length, attempts: error.requests, reason: error.message }, 'llm unavailable');
      return null;
    }
  }
}

export type { AnswerSchemas };

type MutableOutcome = {
  -readonly [K in keyof BatchOutcome]: BatchOutcome[K];
};

function emptyOutcome(): MutableOutcome {
  return {
    verdicts: new Map(),
    failures: new Map(),
    usage: { promptTokens: 0, completionTokens: 0 },
    requests: 0,
    retries: 0,
    reasked: 0,
    corrections: { correctedTags: 0, rejectedTags: [], duplicateAnswers: 0, unknownIds: 0 },
    unavailable: null,
  };
}

function addCorrections(into: AnswerCorrections, more: AnswerCorrections): void {
  into.correctedTags += more.correctedTags;
  into.rejectedTags.push(...more.rejectedTags);
  into.duplicateAnswers += more.duplicateAnswers;
  into.unknownIds += more.unknownIds;
}

function completionBudget(papers: number): number {
  return COMPLETION_TOKENS_OVERHEAD + COMPLETION_TOKENS_PER_PAPER * papers;
}

function estimate(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export type Failure = { message: string; status: number | null; retryable: boolean; retryAfterMs: number | null };

export function describeFailure(error: unknown, nowMs: number): Failure {
  if (error instanceof APIConnectionError) {
    const timedOut = error.name === 'APIConnectionTimeoutError' || /timed? ?out/i.test(error.message);
    return { message: timedOut ? 'timed out' : `connection failed: ${error.message}`, status: null, retryable: true, retryAfterMs: null };
  }
  if (error instanceof APIError) {
    const status = error.status ?? null;
    const retryable = status === null || status === 408 || status === 409 || status === 429 || status >= 500;
    return { message: `HTTP ${status ?? '?'}: ${error.message}`, status, retryable, retryAfterMs: retryAfterMs(error.headers, nowMs) };
  }
  // Anything else (a 200 that is not JSON, say) will not improve by asking again at once.
  return { message: error instanceof Error ? error.message : String(error), status: null, retryable: false, retryAfterMs: null };
}
