import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE, papersCommand } from '../../commands/papers.ts';
import { runCommand } from '../../commands/run-command.ts';
import type { App } from '../../src/app.ts';
import { paperActions } from '../../src/domain/paper-actions.ts';
import type { Reply } from '../../src/domain/reply.ts';
import { importReadme } from '../../src/pipeline/import-readme.ts';
import { getPaper, saveClassification } from '../../src/store/papers.ts';
import { commandContext } from '../helpers/command-context.ts';
import { fixedClock, openTestApp } from '../helpers/test-app.ts';

const seed = readFileSync(new URL('../fixtures/seed-readme.md', import.meta.url), 'utf8');
const clock = fixedClock('2025-12-19T01:30:00Z');
const MOE_PAPER = '2512.16473';
const TITLE = 'Efficient CPU-GPU Collaborative Inference for MoE-based LLMs on Memory-Limited Systems';

describe('/papers like:', () => {
  let app: App;
  const papers = (text: string) => runCommand(papersCommand, commandContext(app), { text });
  const more = (reply: Reply) => runCommand(papersCommand, commandContext(app), { text: '', cursor: reply.cursor ?? null });
  const ids = (reply: Reply) => (reply.papers ?? []).map((paper) => paper.id);

  beforeAll(async () => {
    app = await openTestApp({ DIGEST_TIMEZONE: 'Asia/Shanghai' }, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
  });
  afterAll(() => app.close());

  it('GIVEN a MoE paper THEN the reply lists its nearest papers, not itself, most similar first, privately', async () => {
    const reply = await papers(`like:${MOE_PAPER}`);
    expect(reply.text).toBe(
      `Papers like ${MOE_PAPER} “${TITLE}”: 1–8 (more below), most similar first (by the distinctive words of their titles, TL;DRs and abstracts).`,
    );
    expect(reply.private).toBe(true);
    expect(reply.papers).toHaveLength(PAGE_SIZE);
    expect(ids(reply)).not.toContain(MOE_PAPER);
    // ExpertFlow and HybriMoE: CPU/GPU expert offloading for MoE inference, as the paper itself.
    expect(ids(reply)).toEqual(expect.arrayContaining(['2510.26730', '2504.05897']));
    expect(reply.actions).toEqual([
      { kind: 'more', command: 'papers', cursor: reply.cursor },
      { kind: 'share', command: 'papers', input: `like:${MOE_PAPER}` },
    ]);
  });

  it('GIVEN the id as arXiv:, versioned or an abs URL THEN the answer is the same', async () => {
    const plain = ids(await papers(`like:${MOE_PAPER}`));
    for (const form of [`arXiv:${MOE_PAPER}`, `${MOE_PAPER}v2`, `https://arxiv.org/abs/${MOE_PAPER}v1`])
      expect(ids(await papers(`like:${form}`))).toEqual(plain);
  });

  it('GIVEN more pages THEN they follow through the cursor without repeats until the last', async () => {
    const first = await papers(`like:${MOE_PAPER}`);
    const second = await more(first);
    expect(second.text).toMatch(/^Papers like 2512\.16473 “.*”: 9–16 \(more below\), most similar first/);
    const seen = [...ids(first), ...ids(second)];
    expect(new Set(seen).size).toBe(16);
    let page = second;
    for (let guard = 0; page.cursor && guard < 200; guard++) {
      page = await more(page);
      seen.push(...ids(page));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(MOE_PAPER);
  });

  it('GIVEN like: with a tag and a date THEN every neighbour carries the tag and is from the period', async () => {
    const reply = await papers(`like:${MOE_PAPER} MoE since 2025-06`);
    expect(reply.text).toMatch(/^`MoE` papers like 2512\.16473 “.*” since 2025-06-01: 1–8/);
    expect(reply.papers?.length).toBeGreaterThan(0);
    for (const paper of reply.papers ?? []) {
      expect(paper.tags).toContain('MoE');
      expect(paper.day && paper.day >= '2025-06-01').toBe(true);
    }
  });

  it('GIVEN filters no neighbour passes THEN the reply says so and suggests the query without them', async () => {
    const reply = await papers(`like:${MOE_PAPER} 2020-01-01`);
    expect(reply).toEqual({ text: `No papers like ${MOE_PAPER} “${TITLE}” on 2020-01-01.\nTry \`/papers like:${MOE_PAPER}\`.`, private: true });
  });

  it('GIVEN an id the archive does not hold THEN a private answer says so', async () => {
    expect(await papers('like:2512.99999')).toEqual({
      text: 'The archive has no paper 2512.99999. `like:` takes a paper it holds: search for one with `/papers` and words from its title.',
      private: true,
    });
  });

  it('GIVEN a malformed id or words next to like: THEN a private answer says what to write', async () => {
    expect(await papers('like:12345')).toMatchObject({ text: expect.stringMatching(/^“12345” is not an arXiv id\. Write `like:2512\.16473`/), private: true });
    expect(await papers(`like:${MOE_PAPER} kv cache`)).toMatchObject({ text: expect.stringMatching(/combines with dates and tags only/), private: true });
  });

  it('GIVEN a paper that left the archive or was judged irrelevant since the index was built THEN it is not shown', async () => {
    const before = ids(await papers(`like:${MOE_PAPER}`));
    const [deleted, dropped] = before as [string, string];
    await app.db.run('DELETE FROM papers WHERE id = ?', [deleted]);
    const paper = await getPaper(app.db, dropped);
    await app.db.transaction((tx) =>
      saveClassification(tx, dropped, { ...(paper?.classification as NonNullable<typeof paper>['classification']), relevant: false }, '2025-12-19T00:00:00Z'),
    );
    const after = ids(await papers(`like:${MOE_PAPER}`));
    expect(after).not.toContain(deleted);
    expect(after).not.toContain(dropped);
    expect(after.slice(0, 6)).toEqual(before.slice(2, 8));
  });

  it('GIVEN a paper view THEN its "More like this" action runs /papers like: with its id', async () => {
    const [view] = (await papers('MoE offloading 2025-12')).papers ?? [];
    const [action] = paperActions(view as NonNullable<typeof view>);
    expect(action).toEqual({ kind: 'like', label: 'More like this', command: 'papers', input: `like:${MOE_PAPER}`, paperId: MOE_PAPER });
    const reply = await runCommand(papersCommand, commandContext(app), { text: action?.input ?? '' });
    expect(reply.text).toMatch(/^Papers like 2512\.16473 /);
  });
});
