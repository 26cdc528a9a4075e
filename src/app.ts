import { setMaxListeners } from 'node:events';
import { type ArxivClient, createArxivClient, type Fetch } from './arxiv/client.ts';
import type { Config } from './config.ts';
import type { TagVocabulary } from './domain/tags.ts';
import type { Logger } from './log.ts';
import type { ClassifyDeps } from './pipeline/classify.ts';
import { createClassifyDeps } from './pipeline/create-classify-deps.ts';
import { createEmbedDeps, similarEmbeddings } from './pipeline/create-embed-deps.ts';
import type { EmbedDeps } from './pipeline/embed.ts';
import type { IngestDeps } from './pipeline/ingest.ts';
import { NEVER_STOPS, type Sleep, stoppableSleep } from './stopping.ts';
import { type Cache, openCache } from './store/cache.ts';
import { Database } from './store/db.ts';
import { SimilarPapers } from './store/similar-papers.ts';
import { loadVocabulary } from './tags-file.ts';

/** What varies between production and tests; every field has a real default. */
export type AppOptions = {
  readonly fetch?: Fetch;
  readonly now?: () => Date;
  readonly sleep?: Sleep;
  /** The process is stopping (SIGTERM, Ctrl-C): made in run-cli, never aborted when absent. */
  readonly signal?: AbortSignal;
};

/** The composition root: everything the commands, jobs and adapters need, built once from config. */
export type App = {
  readonly config: Config;
  readonly log: Logger;
  readonly db: Database;
  readonly vocabulary: TagVocabulary;
  readonly arxiv: ArxivClient;
  readonly now: () => Date;
  /**
   * Aborted when the process is asked to stop: waits and retries end (StoppedError), no new send or
   * run starts, and what is under way finishes and is recorded.
   */
  readonly signal: AbortSignal;
  /** Waits (backoff, rate limits) that end with StoppedError on stop; tests pass one that moves their clock instead. */
  readonly sleep: Sleep;
  readonly ingest: IngestDeps;
  readonly classify: ClassifyDeps;
  /** null unless OPENAI_EMBEDDING_MODEL is set. */
  readonly embed: EmbedDeps | null;
  /** "More like this" (`/papers like:`), by embeddings when `embed` is set, else by words. */
  readonly similar: SimilarPapers;
  cache(namespace: string): Cache;
  close(): Promise<void>;
};

export async function openApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
  const now = options.now ?? (() => new Date());
  const signal = options.signal ?? NEVER_STOPS;
  // Every wait in flight listens to it (arXiv, LLM workers, rate-limit pauses): more than Node's 10 is no leak.
  setMaxListeners(0, signal);
  const sleep = stoppableSleep(signal, options.sleep);
  const vocabulary = loadVocabulary(config.TAGS_FILE);
  const db = await Database.open(config.DATABASE_URL);
  const arxiv = createArxivClient({
    fetch: options.fetch,
    sleep,
    signal,
    now: () => now().getTime(),
    minIntervalMs: config.ARXIV_MIN_INTERVAL_MS,
    maxRetries: config.ARXIV_MAX_RETRIES,
    timeoutMs: config.ARXIV_TIMEOUT_MS,
    retryBaseMs: config.ARXIV_RETRY_BASE_MS,
    log: log.child({ module: 'arxiv' }),
  });
  const caches = new Map<string, Cache>();
  const cache = (namespace: string): Cache => {
    let opened = caches.get(namespace);
    if (!opened) {
      opened = openCache(config.DATABASE_URL, namespace);
      caches.set(namespace, opened);
    }
    return opened;
  };
  let classify: ClassifyDeps;
  let embed: EmbedDeps | null;
  try {
    classify = createClassifyDeps({
      config,
      db,
      log,
      vocabulary,
      now,
      sleep,
      signal,
      cache: () => cache('llm'),
    });
    embed = createEmbedDeps({ config, db, log, now, sleep, signal });
  } catch (error) {
    await db.close();
    throw error;
  }
  const similar = createSimilarPapers(db, log, embed);
  return {
    config,
    log,
    db,
    vocabulary,
    arxiv,
    now,
    signal,
    sleep,
    ingest: {
      db,
      client: arxiv,
      log: log.child({ module: 'ingest' }),
      now,
      rssUrl: config.ARXIV_RSS_URL,
      apiUrl: config.ARXIV_API_URL,
      categories: config.ARXIV_CATEGORIES,
      pageSize: config.ARXIV_PAGE_SIZE,
    },
    classify,
    embed,
    similar,
    cache,
    async close() {
      await similar.close();
      for (const cache of caches.values()) await cache.disconnect();
      await db.close();
    },
  };
}

function createSimilarPapers(db: Database, log: Logger, embed: EmbedDeps | null): SimilarPapers {
  return new SimilarPapers({ db, log: log.child({ module: 'similar' }), embeddings: embed ? similarEmbeddings(embed) : null });
}
