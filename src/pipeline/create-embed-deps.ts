import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createEmbedder } from '../llm/create-embedder.ts';
import type { Sleep } from '../llm/openai-classifier.ts';
import type { Database } from '../store/db.ts';
import { embeddingOf } from '../store/embeddings.ts';
import type { SimilarEmbeddings } from '../store/similar-papers.ts';
import { type EmbedDeps, embedPapers } from './embed.ts';

/** The embedding pipeline when OPENAI_EMBEDDING_MODEL is set, else null. */
export function createEmbedDeps(context: { config: Config; db: Database; log: Logger; now: () => Date; sleep: Sleep; signal?: AbortSignal }): EmbedDeps | null {
  const { config } = context;
  const embedder = createEmbedder(
    {
      apiKey: config.OPENAI_API_KEY,
      baseUrl: config.OPENAI_BASE_URL,
      model: config.OPENAI_EMBEDDING_MODEL,
      dimensions: config.OPENAI_EMBEDDING_DIMENSIONS,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      maxRetries: config.OPENAI_MAX_RETRIES,
      retryBaseMs: config.OPENAI_RETRY_BASE_MS,
    },
    { sleep: context.sleep, now: () => context.now().getTime(), log: context.log.child({ module: 'embeddings' }), signal: context.signal },
  );
  if (!embedder) return null;
  return {
    db: context.db,
    log: context.log.child({ module: 'embed' }),
    now: context.now,
    embedder,
    dailyTokenCap: config.LLM_DAILY_TOKEN_CAP,
    timeZone: config.DIGEST_TIMEZONE,
    maxPapers: config.LLM_MAX_PAPERS_PER_RUN,
  };
}

/** Vectors for "more like this": stored ones, or the paper embedded now (counted, capped, recorded like any run). */
export function similarEmbeddings(deps: EmbedDeps): SimilarEmbeddings {
  const space = deps.embedder.space;
  return {
    space,
    async vectorOf(paper) {
      const stored = await embeddingOf(deps.db, paper.id, space);
      if (stored) return stored;
      const report = await embedPapers(deps, [{ id: paper.id, title: paper.title, abstract: paper.abstract, tldr: paper.classification.tldr }], 'like');
      return report.embedded ? embeddingOf(deps.db, paper.id, space) : null;
    },
  };
}
