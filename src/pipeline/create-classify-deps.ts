import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { TagVocabulary } from '../domain/tags.ts';
import { loadClassifyPrompt } from '../llm/classify-prompt.ts';
import { createLlmClassifier } from '../llm/create-llm-classifier.ts';
import { createKeywordClassifier, loadKeywordRules } from '../llm/keyword-classifier.ts';
import type { Sleep } from '../llm/openai-classifier.ts';
import { createPrefilter, loadPrefilterRules } from '../llm/prefilter.ts';
import { createTrainedFilter } from '../llm/trained-filter.ts';
import type { Cache } from '../store/cache.ts';
import type { Database } from '../store/db.ts';
import type { ClassifyDeps } from './classify.ts';
import { promptCorrections } from './prompt-corrections.ts';
import { ensureFilterModel } from './train-filter.ts';

/** The prompts folder shipped with the code; PROMPTS_DIR points elsewhere to customise them. */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

export type ClassifyContext = {
  readonly config: Config;
  readonly db: Database;
  readonly log: Logger;
  readonly vocabulary: TagVocabulary;
  readonly now: () => Date;
  readonly sleep: Sleep;
  /** The process is stopping: the LLM request under way is cut and no new batch starts. */
  readonly signal?: AbortSignal;
  readonly cache: () => Cache;
  readonly fetch?: typeof fetch;
};

/** Reads the prompts and rule files once and builds the classifier the settings ask for. */
export function createClassifyDeps(context: ClassifyContext): ClassifyDeps {
  const { config, vocabulary } = context;
  const promptsDir = config.PROMPTS_DIR ?? DEFAULT_PROMPTS_DIR;
  const log = context.log.child({ module: 'classify' });
  const llm = createLlmClassifier(
    {
      apiKey: config.OPENAI_API_KEY,
      baseUrl: config.OPENAI_BASE_URL,
      model: config.OPENAI_MODEL,
      structuredOutput: config.OPENAI_STRUCTURED_OUTPUT,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      maxRetries: config.OPENAI_MAX_RETRIES,
      retryBaseMs: config.OPENAI_RETRY_BASE_MS,
    },
    {
      prompt: loadClassifyPrompt(promptsDir, vocabulary),
      vocabulary,
      sleep: context.sleep,
      ...(context.signal ? { signal: context.signal } : {}),
      now: () => context.now().getTime(),
      log: context.log.child({ module: 'llm' }),
      fetch: context.fetch,
    },
  );
  const filtered = config.LLM_PREFILTER_CATEGORIES;
  const rules = createKeywordClassifier(loadKeywordRules(join(promptsDir, 'keyword-rules.json')), vocabulary);
  return {
    db: context.db,
    log,
    now: context.now,
    ...(context.signal ? { signal: context.signal } : {}),
    cache: context.cache,
    llm,
    keywords: createTrainedFilter(rules, (exclude) => ensureFilterModel(context.db, rules, context.now, { exclude })),
    corrections: (exclude) => promptCorrections(context.db, { limit: config.LLM_PROMPT_CORRECTIONS, exclude }),
    prefilter: createPrefilter(loadPrefilterRules(join(promptsDir, 'prefilter.json')), { followed: config.ARXIV_CATEGORIES, filtered }),
    batchSize: config.LLM_BATCH_SIZE,
    concurrency: config.LLM_CONCURRENCY,
    dailyTokenCap: config.LLM_DAILY_TOKEN_CAP,
    timeZone: config.DIGEST_TIMEZONE,
    maxPapers: config.LLM_MAX_PAPERS_PER_RUN,
  };
}
