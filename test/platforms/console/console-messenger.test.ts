import { describe, expect, it } from 'vitest';
import type { Messenger, Platform } from '../../../src/domain/delivery.ts';
import type { PaperView } from '../../../src/domain/reply.ts';
import { createConsoleMessenger, withConsoleFallback } from '../../../src/platforms/console/console-messenger.ts';
import { holdMs } from '../../../src/run-day.ts';
import { captureStream } from '../../helpers/test-app.ts';

function view(id: string, title: string, fields: Partial<PaperView> = {}): PaperView {
  return {
    id,
    version: 1,
    title,
    url: `https://arxiv.org/abs/${id}v1`,
    pdfUrl: `https://arxiv.org/pdf/${id}v1`,
    authors: ['A. Author'],
    tags: ['serving'],
    day: '2025-12-18',
    tldr: 'Faster serving.',
    ...fields,
  };
}

describe('console messenger', () => {
  it('GIVEN a digest THEN it prints the recipient, the date with counts by tag, and the papers with terminal controls removed', async () => {
    const out = captureStream();
    const result = await createConsoleMessenger(out.stream).postDigest('console', {
      day: '2025-12-18',
      papers: [view('2512.00001', 'Evil \u001b[2JTitle\u202e'), view('2512.00002', 'Second', { tags: ['MoE'] })],
      tagCounts: [
        ['serving', 1],
        ['MoE', 1],
      ],
    });
    expect(result).toEqual({ ok: true });
    expect(out.text()).toMatch(/^→ console channel console \(digest\)\n2 papers on Thursday 2025-12-18 · serving 1 · MoE 1\n\n1\. Evil \[2JTitle\n/);
    expect(out.text()).not.toContain('\u001b');
    expect(out.text()).not.toContain('\u202e');
  });

  it('GIVEN an empty digest THEN it prints the one-line note', async () => {
    const out = captureStream();
    await createConsoleMessenger(out.stream).postDigest('console', { day: '2025-12-20', papers: [], tagCounts: [] });
    expect(out.text()).toBe('→ console channel console (digest)\nNo new papers on systems for large models on Saturday 2025-12-20.\n\n');
  });

  it('GIVEN an alert with a new paper and an update THEN both are listed, the update marked with its version, each with why', async () => {
    const out = captureStream();
    await createConsoleMessenger(out.stream, 120).sendAlert('alice', {
      day: '2025-12-18',
      papers: [view('2512.00001', 'New One', { reasons: ['MoE'] }), view('2512.00009', 'Lotus', { version: 2, isUpdate: true, reasons: ['storage'] })],
    });
    expect(out.text()).toContain('→ console user alice (alert)\nThursday 2025-12-18: 1 new paper for you; 1 update of papers you were sent before.');
    expect(out.text()).toContain('2. Lotus (updated, v2)');
    expect(out.text()).toContain('because you follow storage');
  });
});

describe('where the daily delivery sends', () => {
  const messenger = (platform: Platform): Messenger => ({ platform, postDigest: async () => ({ ok: true }), sendAlert: async () => ({ ok: true }) });
  const platforms = (messengers: Messenger[]) => withConsoleFallback(messengers, captureStream().stream).map((each) => each.platform);

  it.each([
    [[], ['console']],
    [['email'], ['email', 'console']],
    [['slack'], ['slack']],
    [
      ['discord', 'email'],
      ['discord', 'email'],
    ],
    [['console'], ['console']],
  ] as const)('GIVEN the messengers %j THEN the delivery uses %j', (given, expected) => {
    expect(platforms(given.map(messenger))).toEqual(expected);
  });

  it.each([
    [1, 3],
    [5, 7],
    [7, 11],
  ])('GIVEN CATCHUP_MAX_DAYS=%i THEN a held delivery waits %i calendar days', (days, calendarDays) => {
    expect(holdMs(days)).toBe(calendarDays * 86_400_000);
  });
});
