import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyPending } from '../../src/pipeline/classify.ts';
import { castVote } from '../../src/store/votes.ts';
import { FakeOpenAi, type FakePaper } from '../fakes/openai-server.ts';
import { announce, paperRecord } from '../helpers/papers.ts';
import { runCliCaptured } from '../helpers/run-cli-captured.ts';
import { fixedClock, openTestApp, TEST_ENV } from '../helpers/test-app.ts';

const samplePath = new URL('../fixtures/eval/labelled-sample.jsonl', import.meta.url).pathname;
const sample = readFileSync(samplePath, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { id: string; title: string; relevant: boolean; primary_category: string; categories: string[] });

/** The fake LLM's rule in these tests: relevant iff the title names an LLM. */
const namesLlm = (title: string) => /\bLLMs?\b|Large Language Model/i.test(title);

describe('lmsys-papers eval', () => {
  let dir: string;
  let llm: FakeOpenAi;
  const clock = fixedClock('2026-07-01T12:00:00Z');

  async function cli(env: Record<string, string>, ...argv: string[]) {
    return runCliCaptured(argv, {
      env: { ...TEST_ENV, DATABASE_URL: `sqlite://${join(dir, 'papers.db')}`, ...env },
      appOptions: { now: clock.now, sleep: async () => {} },
    });
  }
  const withLlm = () => ({ OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: 'fake-model', OPENAI_MAX_RETRIES: '0', LLM_BATCH_SIZE: '8' });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmsys-eval-'));
    llm = await FakeOpenAi.start();
    llm.answer = (paper: FakePaper) =>
      namesLlm(paper.title) ? { relevant: true, tags: ['serving'], tldr: 'A system.' } : { relevant: false, tags: [], tldr: null };
  });
  afterEach(async () => {
    await llm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN labelled papers and no LLM THEN it prints relevance by category, tags and mistakes, and writes no paper into the archive', async () => {
    const result = await cli({}, 'eval', '--labels', samplePath);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`eval: ${sample.length} labelled papers (21 relevant)`);
    expect(result.stdout).toMatch(/classifier keywords/);
    expect(result.stdout).toMatch(/^ {2}overall {4}precision \d\.\d{3} {2}recall \d\.\d{3} {2}F1 \d\.\d{3}/m);
    for (const category of ['cs.DC', 'cs.LG', 'other']) expect(result.stdout).toMatch(new RegExp(`^  ${category.replace('.', '\\.')} +precision`, 'm'));
    expect(result.stdout).toMatch(/^tags, on the \d+ papers both call relevant: micro precision/m);
    expect(result.stdout).toMatch(/^ {2}serving +precision/m);
    expect(result.stdout).toContain('LLM: 0 requests');
    expect(result.stdout).toMatch(/^false positives \(\d+ of \d+(, most confident first)?\):/m);
    expect(result.stdout).toMatch(/^false negatives \(\d+ of \d+, most confident first\):\n {2}\d{4}\.\d{5} {2}\S+ +\S.* \(score -?\d+\.\d\)$/m);
    const app = await openTestApp({ DATABASE_URL: `sqlite://${join(dir, 'papers.db')}` });
    try {
      expect(await app.db.get('SELECT COUNT(*) AS n FROM papers')).toEqual({ n: 0 });
    } finally {
      await app.close();
    }
  });

  it('GIVEN an LLM THEN eval measures it through batches and the cache: the second run asks nothing and costs nothing', async () => {
    const prices = { LLM_PRICE_INPUT_PER_MTOK: '0.15', LLM_PRICE_OUTPUT_PER_MTOK: '0.6' };
    const first = await cli({ ...withLlm(), ...prices }, 'eval', '--labels', samplePath, '--json');
    const second = await cli({ ...withLlm(), ...prices }, 'eval', '--labels', samplePath, '--json');

    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    const requests = Math.ceil(sample.length / 8);
    expect(llm.requests).toHaveLength(requests);
    expect(report.classifier).toBe('fake-model');
    expect(report.llm).toMatchObject({ requests, cached: 0 });
    expect(report.llm.totalTokens).toBeGreaterThan(0);
    expect(report.llm.costUsd).toBeCloseTo((report.llm.promptTokens * 0.15 + report.llm.completionTokens * 0.6) / 1e6, 10);
    const predicted = sample.filter((paper) => namesLlm(paper.title));
    const truePositives = predicted.filter((paper) => paper.relevant).length;
    expect(report.metrics.relevance.precision).toBeCloseTo(truePositives / predicted.length, 10);
    expect(report.metrics.relevance.recall).toBeCloseTo(truePositives / sample.filter((paper) => paper.relevant).length, 10);
    const again = JSON.parse(second.stdout);
    expect(llm.requests).toHaveLength(requests);
    expect(again.llm).toMatchObject({ requests: 0, cached: sample.length, totalTokens: 0, costUsd: 0 });
    expect(again.metrics).toEqual(report.metrics);
  });

  it('GIVEN an LLM run THEN its tokens count toward the daily cap that classify respects, and status lists the eval run', async () => {
    await cli(withLlm(), 'eval', '--labels', samplePath);
    const status = await cli(withLlm(), 'status');

    expect(status.stdout).toMatch(/eval +2026-07-01 ok +fake-model: 49 labelled papers, 49 judged, 7 requests, \d+ tokens/);
    // Papers the cache has not seen, under a cap the first run already spent: nothing more is asked.
    const fresh = join(dir, 'fresh.jsonl');
    writeFileSync(
      fresh,
      sample
        .slice(0, 3)
        .map((paper, index) => JSON.stringify({ ...paper, id: `2401.0000${index + 1}` }))
        .join('\n'),
    );
    const capped = await cli({ ...withLlm(), LLM_DAILY_TOKEN_CAP: '100' }, 'eval', '--labels', fresh);
    expect(capped.stdout).toContain('3 papers got no verdict');
    expect(llm.requests).toHaveLength(7);
  });

  it('GIVEN a label file with bad lines THEN nothing is evaluated and each problem is reported with its line number', async () => {
    const bad = join(dir, 'bad.jsonl');
    const good = readFileSync(samplePath, 'utf8').split('\n')[0] as string;
    const record = JSON.parse(good);
    writeFileSync(
      bad,
      [
        good,
        '{"id": "2601.00001", "title": "No abstract is fine, but no relevant field is not"',
        JSON.stringify({ ...record, id: '2601.00002', relevant: 'yes' }),
        JSON.stringify({ ...record, id: '2601.00003', relevant: true, tags: ['serving', 'blockchain'] }),
        '',
        JSON.stringify({ ...record, id: '2601.00004', categories: undefined }),
        good,
      ].join('\n'),
    );

    const result = await cli({}, 'eval', '--labels', bad);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${bad}: 5 unusable lines, nothing evaluated:`);
    expect(result.stderr).toContain(`${bad}:2: not valid JSON`);
    expect(result.stderr).toMatch(new RegExp(`${bad}:3: relevant: .*boolean`));
    expect(result.stderr).toContain(`${bad}:4: unknown tag "blockchain"`);
    expect(result.stderr).toMatch(new RegExp(`${bad}:6: categories: `));
    expect(result.stderr).toContain(`${bad}:7: ${record.id} is labelled again (first on line 1)`);
  });

  it('GIVEN no label file and no votes THEN it says how to get labels', async () => {
    const result = await cli({}, 'eval');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the group has not labelled any paper yet');
  });

  it("GIVEN the group's votes THEN eval without a file measures the filter on the group's labels", async () => {
    const app = await openTestApp({ DATABASE_URL: `sqlite://${join(dir, 'papers.db')}` }, { now: clock.now });
    try {
      const llmPaper = paperRecord(1, { title: 'Serving LLMs with a Paged KV Cache', abstract: 'We serve large language models on GPUs with 2x throughput.' });
      const consensus = paperRecord(2, { title: 'Byzantine Consensus at Scale', abstract: 'A BFT protocol for blockchains with lower latency.' });
      await announce(app, [llmPaper, consensus]);
      const now = clock.now();
      await castVote(app.db, { platform: 'slack', userId: 'U1', paperId: llmPaper.id, value: 'relevant', source: 'digest', now });
      await castVote(app.db, { platform: 'slack', userId: 'U1', paperId: consensus.id, value: 'relevant', source: 'digest', now });
      await castVote(app.db, { platform: 'slack', userId: 'U2', paperId: consensus.id, value: 'relevant', source: 'digest', now });
    } finally {
      await app.close();
    }

    const result = await cli({}, 'eval', '--json');

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ labels: 'votes', papers: 2, labelledRelevant: 2 });
    expect(report.metrics.relevance).toMatchObject({ tp: 1, fn: 1, fp: 0 });
    expect(report.metrics.tags).toBeNull();
  });

  it('GIVEN votes THEN status shows how many, the labelled papers and the precision of the filter on them', async () => {
    expect((await cli({}, 'status')).stdout).toContain('votes: none yet');
    const app = await openTestApp({ DATABASE_URL: `sqlite://${join(dir, 'papers.db')}` }, { now: clock.now });
    try {
      const papers = [1, 2, 3].map((number) => paperRecord(number));
      await announce(app, papers);
      await classifyPending(app.classify);
      const now = clock.now();
      await castVote(app.db, { platform: 'slack', userId: 'U1', paperId: papers[0]?.id ?? '', value: 'relevant', source: 'digest', now });
      await castVote(app.db, { platform: 'discord', userId: '7', paperId: papers[1]?.id ?? '', value: 'not-relevant', source: 'reaction', now });
      await castVote(app.db, { platform: 'slack', userId: 'U1', paperId: papers[2]?.id ?? '', value: 'relevant', source: 'digest', now });
      await castVote(app.db, { platform: 'slack', userId: 'U2', paperId: papers[2]?.id ?? '', value: 'not-relevant', source: 'digest', now });
    } finally {
      await app.close();
    }

    const status = await cli({}, 'status');
    const json = JSON.parse((await cli({}, 'status', '--json')).stdout);

    expect(status.stdout).toContain(
      'votes: 4 by 3 people; 2 papers labelled (1 relevant), 1 tied; the filter on them: precision 0.50, recall 1.00 (2 papers it judged)',
    );
    expect(json.votes).toMatchObject({ votes: 4, voters: 3, labelled: 2, filter: { tp: 1, fp: 1 } });
  });

  it('GIVEN votes the offline filter learned from THEN eval on them measures a filter trained without them, not its memory', async () => {
    const app = await openTestApp({ DATABASE_URL: `sqlite://${join(dir, 'papers.db')}` }, { now: clock.now });
    try {
      // Near the rules' boundary: they keep DNN-training schedulers and drop edge DNN inference; the group disagrees.
      const scheduling = [1, 2, 3, 4, 5, 6].map((n) =>
        paperRecord(n, {
          title: `Scheduling DNN Training Jobs on Shared GPU Clusters (${n})`,
          abstract: `We schedule deep learning training jobs on ${n * 8} GPU nodes, raising utilization by 30%.`,
        }),
      );
      const edge = [7, 8, 9].map((n) =>
        paperRecord(n, {
          title: `Energy-Aware DNN Inference on Edge Devices (${n})`,
          abstract: `We run neural network inference on ${n} kinds of edge devices, saving 20% energy at the same latency.`,
        }),
      );
      await announce(app, [...scheduling, ...edge]);
      await classifyPending(app.classify);
      const now = clock.now();
      for (const paper of scheduling)
        await castVote(app.db, { platform: 'slack', userId: 'U1', paperId: paper.id, value: 'not-relevant', source: 'digest', now });
      for (const paper of edge) await castVote(app.db, { platform: 'slack', userId: 'U1', paperId: paper.id, value: 'relevant', source: 'digest', now });
      await classifyPending(app.classify);
      // The stored model did learn them: the archive's filter now agrees with the group on a new paper of each kind.
      const next = paperRecord(20, {
        title: 'Scheduling DNN Training Jobs on Shared GPU Clusters (20)',
        abstract: 'We schedule deep learning training jobs on 160 GPU nodes, raising utilization by 30%.',
      });
      expect(app.classify.keywords.score(next)).toBeLessThan(0);
    } finally {
      await app.close();
    }

    const report = JSON.parse((await cli({}, 'eval', '--json')).stdout);

    expect(report.metrics.relevance).toMatchObject({ tp: 0, fp: 6, fn: 3, tn: 0 });
  });
});
