import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';

/** Thrown when the environment holds a bad value; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const url = (fallback: string) => z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).default(fallback));
const optionalUrl = z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional());
const WHOLE = { message: 'expected a whole number' };
const int = (fallback: number, min = 0) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number(WHOLE)
      .int(WHOLE)
      .min(min, { message: `expected a whole number >= ${min}` })
      .default(fallback),
  );
const bool = (fallback: boolean) =>
  z.preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0']).default(fallback ? 'true' : 'false')).transform((v) => v === 'true' || v === '1');
const list = (fallback: string) =>
  z.preprocess(emptyAsUndefined, z.string().default(fallback)).transform((v) =>
    v
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** `cs.DC`, `math.OC`, `hep-th`, `q-bio.NC`: an archive, optionally a dot and a subject class. */
const ARXIV_CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** An IP address to listen on, or a host name (letters, digits, hyphens, dots); `999.1.1.1` is neither. */
const listenHost = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default('0.0.0.0')
    .refine(
      (v) => isIP(v) !== 0 || (!/^[\d.]+$/.test(v) && /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v)),
      {
        message: 'expected an IP address to listen on (0.0.0.0 for all, 127.0.0.1, ::) or a host name',
      },
    ),
);

/** A path that must exist as a folder (`directory`) or a file, checked at start rather than at first use. */
const existingPath = (kind: 'directory' | 'file') =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => isKind(v, kind), { message: kind === 'directory' ? 'no such folder' : 'no such file' })
      .optional(),
  );

const PORT = { message: 'expected a port number from 0 to 65535' };
const port = (fallback: number) => z.preprocess(emptyAsUndefined, z.coerce.number(PORT).int(PORT).min(0, PORT).max(65535, PORT).default(fallback));

const timeZone = z.preprocess(
  emptyAsUndefined,
  z.string().default('Asia/Shanghai').refine(isTimeZone, { message: 'expected an IANA time zone such as Asia/Shanghai or America/New_York' }),
);

const databaseUrl = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default('sqlite://data/lmsys-papers.db')
    .refine((v) => v.startsWith('sqlite://') && v.length > 'sqlite://'.length, {
      message: 'expected sqlite://<path> (relative), sqlite:///<absolute path> or sqlite://:memory:',
    }),
);

const ConfigSchema = z.object({
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  DATABASE_URL: databaseUrl,

  ARXIV_RSS_URL: url('https://rss.arxiv.org/rss'),
  ARXIV_API_URL: url('https://export.arxiv.org/api/query'),
  ARXIV_CATEGORIES: list('cs.DC,cs.OS,cs.LG').refine((v) => v.length > 0 && v.every((c) => ARXIV_CATEGORY.test(c)), {
    message: 'expected a comma-separated list of arXiv categories such as cs.DC,cs.OS,cs.LG',
  }),
  ARXIV_MIN_INTERVAL_MS: int(3000),
  ARXIV_MAX_RETRIES: int(4),
  ARXIV_RETRY_BASE_MS: int(3000),
  ARXIV_TIMEOUT_MS: int(30_000, 1),
  ARXIV_PAGE_SIZE: int(500, 1).pipe(z.number().max(2000)),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.preprocess(emptyAsUndefined, z.string().default('gpt-4o-mini')),
  OPENAI_STRUCTURED_OUTPUT: z.preprocess(emptyAsUndefined, z.enum(['json_schema', 'json_object']).default('json_schema')),
  OPENAI_TIMEOUT_MS: int(60_000, 1),
  OPENAI_MAX_RETRIES: int(3),
  OPENAI_RETRY_BASE_MS: int(2000),
  // Set: "more like this" compares embeddings from the same server (/v1/embeddings) instead of words.
  OPENAI_EMBEDDING_MODEL: optionalString,
  // Shorter vectors for models that can make them (text-embedding-3-*): less memory per paper.
  OPENAI_EMBEDDING_DIMENSIONS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(8192).optional()),
  LLM_BATCH_SIZE: int(8, 1),
  LLM_CONCURRENCY: int(4, 1),
  LLM_DAILY_TOKEN_CAP: int(2_000_000),
  LLM_MAX_PAPERS_PER_RUN: int(2000, 1),
  // `none` turns the pre-filter off: every paper goes to the LLM.
  LLM_PREFILTER_CATEGORIES: list('cs.LG')
    .refine((v) => v.every((category) => category === 'none' || ARXIV_CATEGORY.test(category)), {
      message: 'expected a comma-separated list of arXiv categories such as cs.LG, or none',
    })
    .transform((v) => v.filter((category) => category !== 'none')),
  // How many of the group's recent corrections (votes against an LLM verdict) each LLM prompt carries; 0 = none.
  LLM_PROMPT_CORRECTIONS: int(4).pipe(z.number().max(20)),
  // USD per million prompt / completion tokens, for the cost `eval` estimates; unset = unknown.
  LLM_PRICE_INPUT_PER_MTOK: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).optional()),
  LLM_PRICE_OUTPUT_PER_MTOK: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).optional()),
  PROMPTS_DIR: existingPath('directory'),
  TAGS_FILE: existingPath('file'),

  DIGEST_TIMEZONE: timeZone,
  // `off`: serve runs no daily job (e.g. a second replica that only answers commands).
  DIGEST_CRON: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default('0 8 * * *')
      .refine((v) => v === 'off' || isCronExpression(v), { message: 'expected a cron expression such as "0 8 * * *" (minute hour day month weekday), or off' }),
  ),
  DIGEST_EMPTY_NOTE: bool(false),
  CATCHUP_MAX_DAYS: int(7, 1),
  // A delivery that failed for a passing reason is tried again after 1, 2, 4 … minutes (at most an hour apart).
  DELIVERY_MAX_ATTEMPTS: int(8, 1),
  DELIVERY_RETRY_BASE_MS: int(60_000),
  // A delivery claimed longer ago than this is taken to belong to a process that died.
  DELIVERY_CLAIM_TIMEOUT_MS: int(600_000, 1),

  SLACK_API_URL: url('https://slack.com/api/'),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_MODE: z.preprocess(emptyAsUndefined, z.enum(['socket', 'http']).default('socket')),
  SLACK_HTTP_PORT: port(3000),
  SLACK_ADMIN_USERS: list(''),
  SLACK_DIGEST_CHANNELS: list(''),

  DISCORD_API_URL: url('https://discord.com/api'),
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_ADMIN_ROLE: optionalString,
  DISCORD_DIGEST_CHANNELS: list(''),

  // 0 = any free port (tests); the address actually bound is logged.
  WEB_PORT: port(8080),
  WEB_HOST: listenHost,
  WEB_BASE_URL: optionalUrl,
  // Behind one reverse proxy: take the client address from the last X-Forwarded-For entry (rate limits).
  WEB_TRUST_PROXY: bool(false),
  SMTP_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => /^smtps?:\/\/[^/]/.test(v), { message: 'expected smtp://user:pass@host:587 or smtps://user:pass@host:465' })
      .optional(),
  ),
  MAIL_FROM: optionalString,
  SUBSCRIBE_LIMIT_PER_IP: int(10, 1),
  SUBSCRIBE_LIMIT_PER_ADDRESS: int(3, 1),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Every variable the process reads, for the check that `.env.example` and the README document each. */
export const SETTING_NAMES: readonly string[] = Object.keys(ConfigSchema.shape);

const SECRET = /KEY|TOKEN|SECRET|PASSWORD|SMTP_URL/;

/** Reads every setting from `env` once; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const shown = SECRET.test(name) ? '(hidden)' : JSON.stringify(env[name] ?? '');
    return `  ${name}=${shown}: ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isKind(path: string, kind: 'directory' | 'file'): boolean {
  try {
    const stat = statSync(path);
    return kind === 'directory' ? stat.isDirectory() : stat.isFile();
  } catch {
    return false;
  }
}
