import type { PaperView } from './reply.ts';

/**
 * Something a person can do with one paper of a reply, digest or alert, offered as a button next
 * to it: running `command` with `input` as if they had typed it, the answer private to them. The
 * core decides which actions a paper has; a platform only draws them and, on a click, runs the
 * command (a button's value needs no more than the paper id: `input` is rebuilt from it).
 */
export type PaperAction = {
  /** `like`: "More like this", the paper's nearest neighbours (`/papers like:<id>`). */
  readonly kind: 'like';
  readonly label: string;
  readonly command: 'papers';
  readonly input: string;
  readonly paperId: string;
};

/** The actions of a paper, in the order to show them. */
export function paperActions(paper: Pick<PaperView, 'id'>): readonly PaperAction[] {
  return [moreLikeThis(paper.id)];
}

export function moreLikeThis(paperId: string): PaperAction {
  return { kind: 'like', label: 'More like this', command: 'papers', input: `like:${paperId}`, paperId };
}
