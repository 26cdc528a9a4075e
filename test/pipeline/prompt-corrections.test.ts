import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { recordVote } from '../../src/pipeline/apply-vote.ts';
import { classifyPending } from '../../src/pipeline/classify.ts';
import { getPaper } from '../../src/store/papers.ts';
import { FakeOpenAi, type FakePaper } from '../fakes/openai-server.ts';
import { announce, paperRecord } from '../helpers/papers.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

let fake: FakeOpenAi;
let app: App;
const clock = fixedClock('2026-01-05T10:00:00Z');
const consensus = paperRecord(1, { title: 'Byzantine Consensus for LLM Agent Swarms', abstract: 'A BFT protocol among LLM agents.' });
const kvStore = paperRecord(2, { title: 'A Disaggregated Key-Value Store for Prefix Caching', abstract: 'We store prefixes for inference.' });

async function openWith(env: Record<string, string> = {}) {
  return openTestApp({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: 'fake-model', OPENAI_MAX_RETRIES: '0', ...env }, { now: clock.now, sleep: async () => {} });
}

async function disagree(): Promise<void> {
  await announce(app, [consensus, kvStore], '2026-01-02');
  await classifyPending(app.classify);
  const deps = { db: app.db, now: clock.now, tagsFor: app.classify.keywords.tagsFor };
  await recordVote(deps, { platform: 'slack', userId: 'U1', paperId: consensus.id, value: 'not-relevant', source: 'digest' });
  await recordVote(deps, { platform: 'slack', userId: 'U1', paperId: kvStore.id, value: 'relevant', source: 'digest' });
  await announce(app, [paperRecord(3)], '2026-01-05');
}

beforeEach(async () => {
  fake = await FakeOpenAi.start();
  // The LLM keeps the consensus paper and drops the key-value store: the group thinks otherwise.
  fake.answer = (paper: FakePaper) =>
    paper.id === kvStore.id ? { relevant: false, tags: [], tldr: null } : { relevant: true, tags: ['serving'], tldr: 'A system; 2x faster.' };
});
afterEach(async () => {
  await app?.close();
  await fake.close();
});

describe("the group's corrections in the LLM prompt", () => {
  it('GIVEN votes against LLM verdicts THEN the next run sends them as data in the system prompt, under a new prompt hash', async () => {
    app = await openWith();
    await disagree();
    const firstHash = (await getPaper(app.db, consensus.id))?.classification.promptHash;

    await classifyPending(app.classify);

    const system = fake.requests.at(-1)?.body.messages?.[0]?.content ?? '';
    expect(system).toContain("## The group's recent corrections");
    expect(system).toContain(
      '"title":"Byzantine Consensus for LLM Agent Swarms","abstract":"A BFT protocol among LLM agents.","verdict_given":"relevant","group_says":"not relevant"',
    );
    expect(system).toContain('"title":"A Disaggregated Key-Value Store for Prefix Caching"');
    expect(system).toContain('"verdict_given":"not relevant","group_says":"relevant"');
    expect(fake.requests.at(-1)?.papers.map((paper) => paper.id)).toEqual([paperRecord(3).id]);
    const newHash = (await getPaper(app.db, paperRecord(3).id))?.classification.promptHash;
    expect(newHash).not.toBe(firstHash);
  });

  it('GIVEN LLM_PROMPT_CORRECTIONS=0 THEN the prompt carries none', async () => {
    app = await openWith({ LLM_PROMPT_CORRECTIONS: '0' });
    await disagree();

    await classifyPending(app.classify);

    expect(fake.requests.at(-1)?.body.messages?.[0]?.content).not.toContain('corrections');
  });
});
