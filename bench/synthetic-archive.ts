/**
 * A synthetic archive of classified papers with realistic lengths (titles ~90, abstracts ~1,300,
 * TL;DRs ~300 characters, 3–8 authors, 1–3 tags) for benchmarks of search, digests and adapters.
 * Deterministic for a seed. Rows go in through multi-row prepared INSERTs in one transaction; the
 * derived tables (tags, announcements, versions, the FTS index) are filled by INSERT … SELECT in
 * SQLite, the way ingest and classification would have left them.
 *
 * Reusable: `await generateSyntheticArchive(db, { papers: 100_000 })`, or from a shell
 * `node bench/synthetic-archive.ts data/bench.db 100000`.
 */
import { addDays, isAnnouncementDay } from '../src/domain/calendar.ts';
import { seededRandom } from '../src/domain/seeded-random.ts';
import { Database, type Queryable, type SqlValue } from '../src/store/db.ts';
import { FTS_REBUILD } from '../src/store/fts-tags.ts';

export type SyntheticArchiveOptions = {
  readonly papers: number;
  readonly seed?: number;
  /** Share of papers judged relevant (default 1: an archive of relevant papers). */
  readonly relevantShare?: number;
  /** The newest announcement day; papers spread back over weekdays from it. */
  readonly lastDay?: string;
  readonly papersPerDay?: number;
};

export type SyntheticArchive = { readonly papers: number; readonly firstDay: string; readonly lastDay: string; readonly ms: number };

/**
 * Words by tag: a paper draws its topic words from the clusters of its tags, so a term is common
 * where it belongs (`kv` in serving papers) and rare elsewhere, as in real abstracts.
 */
export const CLUSTERS: Readonly<Record<string, readonly string[]>> = {
  serving: words(
    'serving inference request requests batching continuous scheduler scheduling slo ttft tpot goodput prefill decode decoding kv cache speculative draft vllm preemption',
  ),
  training: words(
    'training pretraining parallelism pipeline tensor data-parallel zero sharding checkpoint checkpointing optimizer gradient fault tolerance recovery iteration',
  ),
  offloading: words('offloading cpu host pcie swap swapping prefetching prefetch transfer ssd weights activations kv cache'),
  networking: words('network communication collective allreduce all-to-all rdma nvlink infiniband interconnect topology bandwidth congestion switch'),
  kernel: words('kernel kernels gemm triton cuda fusion compiler autotuning operator tiling tensor-core fp8 attention'),
  MoE: words('moe expert experts routing router gating all-to-all load balance expert-parallel mixture sparse activation'),
  hardware: words('accelerator npu tpu fpga asic pim hbm chip design co-design systolic energy'),
  storage: words('storage ssd flash cxl file io disaggregated pool checkpoint tiered'),
  edge: words('edge mobile device on-device smartphone embedded energy battery offload cloud'),
  offline: words('batch offline jobs utilization cluster makespan'),
  sparse: words('sparse sparsity pruning attention top-k eviction mask long context'),
  quantization: words('quantization int4 int8 fp8 fp4 low-bit precision outlier weight activation'),
  agentic: words('agent agents agentic tool tools workflow multi-agent function calls'),
  RL: words('rl rlhf grpo rollout rollouts reward policy ppo actor learner post-training'),
  thinking: words('reasoning chain-of-thought test-time compute thinking verification long'),
  RAG: words('retrieval rag vector index embedding search database documents'),
  'multi-modal': words('multimodal vision image encoder vlm audio visual'),
  diffusion: words('diffusion denoising steps image generation dit sampling'),
  video: words('video frames generation temporal streaming'),
};

/** Words of the whole field, in most papers whatever their tags. */
const SHARED = words(
  'llm llms large language model models gpu gpus memory latency throughput performance efficient system systems transformer tokens workload workloads cluster',
);

const GENERAL = words(
  'we the of to and a in for is that our with on by this are propose show results approach method achieves existing framework novel ' +
    'design evaluation compared state-of-the-art up speedup reduction while maintaining accuracy real-world production overhead cost ' +
    'significantly outperforms baseline baselines dynamic adaptive key insight challenge challenges address problem practical ' +
    'scalable scale deployment implementation end-to-end lower higher reduces enables across multiple various different new first ' +
    'study analysis characterize observe observation opportunity however despite thereby further',
);

const FIRST_NAMES = (
  'Wei Jing Yang Hao Lei Xin Yu Chen Li Ming Tao Jun Song Ji Hong Kai Ying Zhe Rui Bo Ada Alan Grace Edsger Barbara ' +
  'Maria Lukas Sofia Noah Emma Liam Olivia Mateo Priya Arjun Ananya Rohan Sara Omar Leila Yuki Haruto Minji Jae'
).split(' ');
const LAST_NAMES = (
  'Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Han Song Zheng Liang Xie Tang ' +
  'Smith Johnson Brown Garcia Miller Davis Martinez Lopez Müller Schmidt Rossi Kumar Sharma Patel Kim Park Lee Tanaka Sato Nguyen'
).split(' ');

/** Tag frequencies roughly as in the seed archive: serving and training common, video rare. */
const TAG_WEIGHTS: Readonly<Record<string, number>> = {
  serving: 30,
  training: 18,
  offloading: 10,
  networking: 9,
  kernel: 8,
  MoE: 7,
  hardware: 7,
  storage: 6,
  edge: 6,
  offline: 5,
  sparse: 5,
  quantization: 5,
  agentic: 4,
  RL: 4,
  thinking: 3,
  RAG: 3,
  'multi-modal': 3,
  diffusion: 2,
  video: 1,
};

const PAPER_COLUMNS = 16;
const BATCH = 50;

function words(text: string): readonly string[] {
  return text.split(' ');
}

/** A made-up word per index ("vorakel", "tisum"): the long tail of a real vocabulary (names, rare terms). */
const SYLLABLES = words('ka lo mi ne ru sa ti vo ze ba de fi go hu ja ke li mo nu pa qui re so tu va we xi yo zu');
const RARE_WORDS = Array.from({ length: 30_000 }, (_, index) => {
  let word = '';
  for (let rest = index + 30; rest > 0; rest = Math.floor(rest / SYLLABLES.length)) word += SYLLABLES[rest % SYLLABLES.length];
  return word;
});

export function textGenerator(seed: number) {
  const next = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  // Skewed towards the front of each list, as word use is: a few words are everywhere. A lookup
  // table of skewed positions keeps Math.pow out of the 25 million picks of a 100k archive.
  const skew = Float64Array.from({ length: 4096 }, (_, index) => ((index + 0.5) / 4096) ** 1.6);
  const pick = <T>(items: readonly T[]) => items[Math.floor(items.length * (skew[(next() * 4096) | 0] as number))] as T;
  const uniform = <T>(items: readonly T[]) => items[(next() * items.length) | 0] as T;
  /** A word of a paper whose topics are `topics`: general 62%, field 4%, topic 14%, long tail 20%. */
  const word = (topics: readonly string[]) => {
    const roll = next();
    if (roll < 0.62) return pick(GENERAL);
    if (roll < 0.66) return pick(SHARED);
    if (roll < 0.8) return uniform(topics);
    return RARE_WORDS[(next() * RARE_WORDS.length) | 0] as string;
  };
  const sentence = (topics: readonly string[], min: number, max: number) => {
    const first = word(topics);
    let text = `${first.charAt(0).toUpperCase()}${first.slice(1)}`;
    for (let count = int(min, max) - 1; count > 0; count--) text += ` ${word(topics)}`;
    return `${text}.`;
  };
  const sentences = (topics: readonly string[], count: number, min: number, max: number) => {
    let text = sentence(topics, min, max);
    for (let index = 1; index < count; index++) text += ` ${sentence(topics, min, max)}`;
    return text;
  };
  const author = () => `${uniform(FIRST_NAMES)} ${uniform(LAST_NAMES)}`;
  const tagTotal = Object.values(TAG_WEIGHTS).reduce((sum, weight) => sum + weight, 0);
  const tag = () => {
    let roll = next() * tagTotal;
    for (const [name, weight] of Object.entries(TAG_WEIGHTS)) {
      roll -= weight;
      if (roll < 0) return name;
    }
    return 'serving';
  };
  return {
    next,
    int,
    pick,
    /** A paper's own topic words: a few from each of its tags' clusters, as a real abstract keeps to a few terms. */
    topics: (tags: readonly string[]) => tags.flatMap((tag) => Array.from({ length: int(3, 6) }, () => pick(CLUSTERS[tag] ?? SHARED))),
    title: (topics: readonly string[]) => {
      const title = Array.from({ length: int(7, 12) }, () => (next() < 0.7 ? pick(topics) : pick(SHARED)));
      const name = `${pick(topics)
        .replace(/[^a-z]/g, '')
        .slice(0, 6)}${pick(['X', 'Serve', 'Flow', 'Spec', 'Cache', 'MoE', 'Train'])}`;
      return `${name.charAt(0).toUpperCase()}${name.slice(1)}: ${title.map((item) => `${item.charAt(0).toUpperCase()}${item.slice(1)}`).join(' ')}`;
    },
    abstract: (topics: readonly string[]) => sentences(topics, int(8, 11), 14, 24),
    tldr: (topics: readonly string[]) => sentences(topics, int(2, 3), 12, 18),
    authors: () => [...new Set(Array.from({ length: int(3, 8) }, author))],
    tags: () => [...new Set(Array.from({ length: int(1, 3) }, tag))],
    author,
  };
}

/** Announcement days (weekdays) ending at `lastDay`, oldest first. */
function announcementDays(lastDay: string, count: number): string[] {
  const days: string[] = [];
  for (let day = lastDay; days.length < count; day = addDays(day, -1)) if (isAnnouncementDay(day)) days.push(day);
  return days.reverse();
}

export async function generateSyntheticArchive(db: Database, options: SyntheticArchiveOptions): Promise<SyntheticArchive> {
  const started = performance.now();
  const text = textGenerator(options.seed ?? 1);
  const perDay = options.papersPerDay ?? 100;
  const days = announcementDays(options.lastDay ?? '2025-12-19', Math.ceil(options.papers / perDay));
  const relevantShare = options.relevantShare ?? 1;
  const stamp = '2025-12-19T00:00:00.000Z';
  const perMonth = new Map<string, number>();
  await db.transaction(async (tx) => {
    let papers: SqlValue[] = [];
    let verdicts: SqlValue[] = [];
    for (let index = 0; index < options.papers; index++) {
      const day = days[Math.floor(index / perDay)] as string;
      const month = `${day.slice(2, 4)}${day.slice(5, 7)}`;
      const sequence = (perMonth.get(month) ?? 0) + 1;
      perMonth.set(month, sequence);
      const id = `${month}.${String(sequence).padStart(5, '0')}`;
      const relevant = text.next() < relevantShare;
      // Irrelevant papers still have a topic, they are just not kept: their text looks the same.
      const tags = text.tags();
      const topics = text.topics(tags);
      papers.push(
        id,
        1,
        text.title(topics),
        text.abstract(topics),
        JSON.stringify(text.authors()),
        '["cs.DC"]',
        'cs.DC',
        null,
        null,
        null,
        null,
        null,
        day,
        'api',
        stamp,
        stamp,
      );
      verdicts.push(id, 'done', relevant ? 1 : 0, JSON.stringify(relevant ? tags : []), relevant ? text.tldr(topics) : null, 'synthetic', 1, 1, stamp);
      if (papers.length === BATCH * PAPER_COLUMNS) {
        await flush(tx, papers, verdicts);
        papers = [];
        verdicts = [];
      }
    }
    if (papers.length) await flush(tx, papers, verdicts);
    await tx.run('INSERT INTO paper_tags (tag, paper_id) SELECT DISTINCT j.value, c.paper_id FROM classifications c, json_each(c.tags) j WHERE c.relevant = 1');
    await tx.run("INSERT INTO announcements (day, paper_id, announce_type, version) SELECT announced_on, id, 'new', version FROM papers");
    await tx.run(
      "INSERT INTO paper_versions (paper_id, version, title, announced_on, announce_type, seen_at) SELECT id, version, title, announced_on, 'new', created_at FROM papers",
    );
    await tx.run(FTS_REBUILD);
  });
  return { papers: options.papers, firstDay: days[0] as string, lastDay: days.at(-1) as string, ms: performance.now() - started };
}

async function flush(tx: Queryable, papers: SqlValue[], verdicts: SqlValue[]): Promise<void> {
  const rows = papers.length / PAPER_COLUMNS;
  await tx.run(
    `INSERT INTO papers (id, version, title, abstract, authors, categories, primary_category, comment, journal_ref, doi,
       submitted_at, updated_at, announced_on, source, created_at, modified_at) VALUES ${Array(rows)
         .fill(`(${Array(PAPER_COLUMNS).fill('?').join(', ')})`)
         .join(', ')}`,
    papers,
  );
  await tx.run(
    `INSERT INTO classifications (paper_id, status, relevant, tags, tldr, model, version, attempts, updated_at)
     VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    verdicts,
  );
}

// `node bench/synthetic-archive.ts <file.db> [papers]`
if (import.meta.main) {
  const [path, count = '100000'] = process.argv.slice(2);
  if (!path) {
    console.error('usage: node bench/synthetic-archive.ts <file.db> [papers]');
    process.exit(2);
  }
  const db = await Database.open(`sqlite://${path}`);
  const archive = await generateSyntheticArchive(db, { papers: Number(count) });
  await db.close();
  console.log(`${archive.papers} papers from ${archive.firstDay} to ${archive.lastDay} in ${(archive.ms / 1000).toFixed(1)} s → ${path}`);
}
