import type { Logger } from '../../log.ts';

/** What a send has done so far: the id of its first message (the digest header) and how many messages went out. */
export type SendState = { readonly ref?: string; readonly posted: number };

const STATE_VERSION = 1;

export function writeState(state: SendState): string {
  return JSON.stringify({ v: STATE_VERSION, ...state });
}

/** Saved progress; nothing saved, or a state this code did not write, starts from the first message. */
export function readState(saved: string | null, log: Logger): SendState {
  if (saved === null) return { posted: 0 };
  try {
    const state = JSON.parse(saved) as { v?: unknown; ref?: unknown; posted?: unknown };
    const posted = state.posted;
    if (state.v === STATE_VERSION && typeof posted === 'number' && Number.isInteger(posted) && posted >= 0) {
      return typeof state.ref === 'string' ? { ref: state.ref, posted } : { posted };
    }
  } catch {
    // Falls through to the log below.
  }
  log.error({ saved: saved.slice(0, 200) }, 'discord send progress unreadable; starting the send over');
  return { posted: 0 };
}
