/** What one embeddings call cost and produced. */
export type EmbeddingOutcome = {
  /** One unit-length vector per text, in order; empty when the server was unavailable. */
  readonly vectors: readonly Float32Array[];
  readonly tokens: number;
  /** HTTP requests made, including retries. */
  readonly requests: number;
  readonly retries: number;
  /** Set when the server could not be reached, kept refusing or answered outside the shape: stop asking. */
  readonly unavailable: string | null;
};

/** The embeddings model as the pipeline and "more like this" see it; the OpenAI SDK stays behind this port. */
export type Embedder = {
  /**
   * The embedding space: the model name, with `@<dimensions>` when a size is asked for. Vectors of
   * two spaces are never compared, so changing either setting starts a fresh set.
   */
  readonly space: string;
  /** Texts per request. */
  readonly batchSize: number;
  embed(texts: readonly string[]): Promise<EmbeddingOutcome>;
  /** An upper estimate of the tokens, to stop before the daily cap, not after. */
  estimateTokens(texts: readonly string[]): number;
};
