import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE, papersCommand } from '../../commands/papers.ts';
import { runCommand, SOMETHING_WENT_WRONG } from '../../commands/run-command.ts';
import type { App } from '../../src/app.ts';
import type { Reply } from '../../src/domain/reply.ts';
import { createLogger } from '../../src/log.ts';
import { importReadme } from '../../src/pipeline/import-readme.ts';
import { commandContext } from '../helpers/command-context.ts';
import { captureStream, fixedClock, openTestApp } from '../helpers/test-app.ts';

const seed = readFileSync(new URL('../fixtures/seed-readme.md', import.meta.url), 'utf8');
// Friday 2025-12-19 09:30 in Shanghai (DIGEST_TIMEZONE), Thursday 20:30 in New York.
const clock = fixedClock('2025-12-19T01:30:00Z');

describe('/papers', () => {
  let app: App;
  const papers = (text: string, fields = {}) => runCommand(papersCommand, commandContext(app, fields), { text });
  const more = (reply: Reply) => runCommand(papersCommand, commandContext(app), { text: '', cursor: reply.cursor ?? null });

  beforeAll(async () => {
    app = await openTestApp({ DIGEST_TIMEZONE: 'Asia/Shanghai' }, { now: clock.now });
    await importReadme(app.db, seed, app.vocabulary, clock.now);
  });
  afterAll(() => app.close());

  it('GIVEN MoE offloading 2025-12 THEN the reply lists the three papers with link, tags, day and TL;DR', async () => {
    const reply = await papers('MoE offloading 2025-12');
    expect(reply.text).toBe('`MoE` + `offloading` papers from 2025-12-01 to 2025-12-31: 3 papers, newest first.');
    expect(reply.papers?.map((paper) => paper.id)).toEqual(['2512.16473', '2512.09277', '2512.03927']);
    expect(reply.papers?.[0]).toMatchObject({
      title: 'Efficient CPU-GPU Collaborative Inference for MoE-based LLMs on Memory-Limited Systems',
      url: 'https://arxiv.org/abs/2512.16473v1',
      pdfUrl: 'https://arxiv.org/pdf/2512.16473v1',
      tags: ['MoE', 'offloading', 'serving'],
      day: '2025-12-18',
    });
    expect(reply.papers?.[0]?.tldr).toMatch(/^Proposes a CPU-GPU collaborative inference framework/);
    expect(reply.cursor).toBeNull();
    expect(reply.private).toBe(true);
    expect(reply.actions).toEqual([{ kind: 'share', command: 'papers', input: 'MoE offloading 2025-12-01..2025-12-31' }]);
  });

  it('GIVEN words THEN the header says best match first and one tag offers a subscribe button', async () => {
    const reply = await papers('MoE prefetching');
    expect(reply.text).toMatch(/^`MoE` papers matching “prefetching”: \d+ papers?, best match first\.$/);
    expect(reply.papers?.[0]?.title).toMatch(/^SP-MoE/);
    expect(reply.actions).toContainEqual({ kind: 'subscribe', tag: 'MoE' });
  });

  it('GIVEN many results THEN pages of 8 follow each other through an opaque cursor until the last', async () => {
    const first = await papers('MoE');
    expect(first.papers).toHaveLength(PAGE_SIZE);
    expect(first.text).toBe('`MoE` papers: 1–8 (more below), newest first.');
    expect(first.actions?.[0]).toEqual({ kind: 'more', command: 'papers', cursor: first.cursor });
    const second = await more(first);
    expect(second.text).toBe('`MoE` papers: 9–16 (more below), newest first.');
    const seen = new Set([...(first.papers ?? []), ...(second.papers ?? [])].map((paper) => paper.id));
    expect(seen.size).toBe(16);
    let page = second;
    let pages = 2;
    while (page.cursor) {
      page = await more(page);
      pages++;
    }
    expect(page.text).toMatch(/\(the last page\)/);
    expect(pages).toBeGreaterThan(3);
  });

  it('GIVEN a forged or stale cursor THEN the person is asked to search again (no crash)', async () => {
    const reply = await runCommand(papersCommand, commandContext(app), { text: '', cursor: 'p1.eyJ0IjpbIm1vZSJdfQ' });
    expect(reply).toEqual({ text: 'That page of results has expired or was altered; please run the search again.', private: true });
  });

  it('GIVEN nothing matches THEN the reply says what was searched and offers broader queries', async () => {
    const reply = await papers('MoE last week disaggregated');
    expect(reply.text).toBe(
      'No `MoE` papers from 2025-12-08 to 2025-12-14 (last week) matching “disaggregated”.\n' +
        'Try `/papers MoE disaggregated` or `/papers 2025-12-08..2025-12-14 disaggregated`.',
    );
    expect(reply.papers).toBeUndefined();
    expect(await papers('MoE disaggregated')).toHaveProperty('papers');
  });

  it('GIVEN the caller’s time zone THEN "today" is their date; without one the configured zone decides', async () => {
    const newYork = await papers('today', { timeZone: 'America/New_York' });
    expect(newYork.text).toBe('Papers on 2025-12-18 (today): 1–8 (more below), newest first.');
    const configured = await papers('today');
    expect(configured.text).toMatch(/^No papers on 2025-12-19 \(today\)\./);
    const bogusZone = await papers('today', { timeZone: 'Mars/Olympus' });
    expect(bogusZone.text).toMatch(/^No papers on 2025-12-19/);
  });

  it('GIVEN no input THEN the newest papers are shown', async () => {
    const reply = await papers('');
    expect(reply.text).toBe('The newest papers: 1–8 (more below), newest first.');
    expect(reply.papers?.every((paper) => paper.day === '2025-12-18')).toBe(true);
  });

  it.each([
    ['unbalanced quotes', '"kv cache', /matching “"kv cache"”/],
    ['FTS5 operators', 'NEAR(kv cache) OR prefill* ^x', /^(No p|P)apers with “cache” or “prefill” matching “NEAR kv x”/],
    ['OR between tags', 'MoE OR serving', /^Papers with `MoE` or `serving`: 1–8 \(more below\), newest first\.$/],
    ['a date past the calendar', 'after 9999-12-31', /^“after 9999-12-31” reaches outside the calendar I can search/],
    ['an open range', '2025-12-18..', /^Papers since 2025-12-18: /],
    ['SQL', "'; DROP TABLE papers; --", /^No papers matching “DROP TABLE”/],
    ['only emoji', '🚀🔥', /^There is nothing I can search for in that/],
    ['a 5,000-character input', 'kv '.repeat(1700).slice(0, 5000), /^That query is 5,000 characters long; keep it under 500\.$/],
    ['a month that does not exist', 'serving 2025-13', /^“2025-13” is not a month/],
    ['control characters', 'kv\u0000\u001b[2Jcache', /^(No p|P)apers matching “kv 2Jcache”/],
  ])('GIVEN %s THEN the reply is a clear answer, never an error', async (_label, text, expected) => {
    const reply = await papers(text);
    expect(reply.text).toMatch(expected);
    expect(reply.text).not.toBe(SOMETHING_WENT_WRONG);
    expect(reply.private).toBe(true);
  });

  it('GIVEN a failure inside the command THEN it is logged with context and the person gets a generic reply', async () => {
    const logs = captureStream();
    const broken = await openTestApp({}, { now: clock.now });
    await broken.db.exec('DROP TABLE paper_tags');
    const context = commandContext(broken, {}, { log: createLogger('error', logs.stream) });
    const reply = await runCommand(papersCommand, context, { text: 'MoE' });
    await broken.close();
    expect(reply).toEqual({ text: SOMETHING_WENT_WRONG, private: true });
    const entry = JSON.parse(logs.text().trim()) as Record<string, unknown>;
    expect(entry).toMatchObject({ msg: 'command failed', command: 'papers', platform: 'slack', userId: 'U1' });
    expect(JSON.stringify(entry.err)).toContain('no such table: paper_tags');
  });

  it('GIVEN an empty archive THEN the reply says so instead of suggesting other queries', async () => {
    const empty = await openTestApp({}, { now: clock.now });
    const reply = await runCommand(papersCommand, commandContext(empty), { text: 'MoE' });
    await empty.close();
    expect(reply.text).toMatch(/^The archive is empty/);
    // A chat user is not shown the server's file path; the operator is told how to fill it.
    expect(reply.text).toContain('Whoever runs the bot fills it with `lmsys-papers ingest`');
  });

  it('GIVEN an empty archive in the console THEN the reply names the archive file and how to fill it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmsys-empty-'));
    const empty = await openTestApp({ DATABASE_URL: `sqlite://${join(dir, 'papers.db')}` }, { now: clock.now });
    try {
      const reply = await runCommand(papersCommand, commandContext(empty, { platform: 'console' }), { text: 'MoE' });
      expect(reply.text).toBe(
        `The archive ${join(dir, 'papers.db')} is empty: \`lmsys-papers import <README.md>\` imports the original README, ` +
          '`lmsys-papers ingest` fetches the latest days from arXiv (or set DATABASE_URL to the archive you meant).',
      );
    } finally {
      await empty.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN a partial query THEN autocomplete offers tags and time words for the last word', async () => {
    const complete = papersCommand.complete;
    expect(await complete?.(commandContext(app), 'MoE las')).toEqual(['MoE last week', 'MoE last month', 'MoE last 2 weeks']);
    expect(await complete?.(commandContext(app), 'off')).toEqual(['offline', 'offloading']);
  });
});
