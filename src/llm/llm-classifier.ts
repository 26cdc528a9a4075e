import type { PromptCorrection } from './classify-prompt.ts';
import type { AnswerCorrections } from './parse-batch-answer.ts';
import type { PaperText, Verdict } from './verdict.ts';

export type TokenUsage = { promptTokens: number; completionTokens: number };

/** What one batch cost and produced. Every paper asked about is in `verdicts` or in `failures`. */
export type BatchOutcome = {
  readonly verdicts: Map<string, Verdict>;
  /** Papers without a verdict, with the reason (kept in the archive, retried next run). */
  readonly failures: Map<string, string>;
  readonly usage: TokenUsage;
  /** HTTP requests made, including retries and the re-ask. */
  readonly requests: number;
  /** Requests repeated after a 429, 5xx, timeout or connection error. */
  readonly retries: number;
  /** Papers asked about a second time after an answer outside the schema. */
  readonly reasked: number;
  readonly corrections: AnswerCorrections;
  /** Set when the server could not be reached or kept refusing: the run should stop asking. */
  readonly unavailable: string | null;
};

/** The model-backed classifier as the pipeline sees it; the OpenAI SDK stays behind this port. */
export type LlmClassifier = {
  readonly model: string;
  readonly promptHash: string;
  classifyBatch(papers: readonly PaperText[]): Promise<BatchOutcome>;
  /** An upper estimate of the tokens a batch will cost, to stop before the daily cap, not after. */
  estimateTokens(papers: readonly PaperText[]): number;
  /** The same classifier whose prompt carries the group's corrections; its promptHash differs. */
  withCorrections?(corrections: readonly PromptCorrection[]): LlmClassifier;
};
