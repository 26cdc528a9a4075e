import { describe, expect, it } from 'vitest';
import type { PaperView, Reply } from '../../../src/domain/reply.ts';
import { clean, renderReply, wrap } from '../../../src/platforms/console/render-reply.ts';

const paper: PaperView = {
  id: '2512.16473',
  version: 1,
  title: 'Efficient CPU-GPU Collaborative Inference for MoE-based LLMs on Memory-Limited Systems',
  url: 'https://arxiv.org/abs/2512.16473v1',
  pdfUrl: 'https://arxiv.org/pdf/2512.16473v1',
  authors: [],
  tags: ['MoE', 'offloading'],
  day: '2025-12-18',
  tldr: 'Uses expert caching on GPU and CPU offloading with multithreading to minimize data transfer.',
};

describe('renderReply', () => {
  it('GIVEN papers THEN each is a numbered block: wrapped title, day and tags, link, TL;DR, with a hanging indent', () => {
    const reply: Reply = { text: '`MoE` papers: 1 paper, newest first.', papers: [paper], private: true };
    expect(renderReply(reply, { width: 60 })).toBe(
      [
        '`MoE` papers: 1 paper, newest first.',
        '',
        '1. Efficient CPU-GPU Collaborative Inference for MoE-based',
        '   LLMs on Memory-Limited Systems',
        '   2025-12-18 · MoE, offloading',
        '   https://arxiv.org/abs/2512.16473v1',
        '   Uses expert caching on GPU and CPU offloading with',
        '   multithreading to minimize data transfer.',
        '',
      ].join('\n'),
    );
  });

  it('GIVEN a second page and alert reasons THEN numbering goes on and the reasons are shown', () => {
    const reply: Reply = {
      text: 'x',
      papers: [{ ...paper, reasons: ['MoE', 'keyword: offloading'], tldr: null }],
      private: true,
      actions: [
        { kind: 'more', command: 'papers', cursor: 'p1.x' },
        { kind: 'subscribe', tag: 'MoE' },
        { kind: 'share', command: 'papers', input: 'MoE' },
      ],
    };
    const text = renderReply(reply, { width: 100, firstNumber: 9 });
    expect(text).toContain('\n9. Efficient');
    expect(text).toContain('   because you follow MoE, keyword: offloading');
    expect(text.trimEnd().split('\n').at(-1)).toBe('(type `more` for the next page; `/subscribe MoE` to get new MoE papers as alerts)');
  });

  it('GIVEN untrusted text with terminal escapes and bidi overrides THEN they are removed, newlines kept', () => {
    expect(clean('evil\u001b]0;pwned\u0007 title\u202e\u0000\tx\ny')).toBe('evil]0;pwned title x\ny');
    const reply: Reply = { text: 'ok', papers: [{ ...paper, title: 'A\u001b[2J B', tldr: 'C\u009b31m' }], private: true };
    const text = renderReply(reply, { width: 80 });
    expect(text.includes('\u001b') || text.includes('\u009b')).toBe(false);
  });

  it('GIVEN a word longer than the width THEN it stays whole on its own line', () => {
    expect(wrap(`see ${'x'.repeat(50)} now`, 20, '  ')).toBe(`see\n  ${'x'.repeat(50)}\n  now`);
  });
});
