import { absUrl, pdfUrl } from './arxiv-id.ts';
import type { Paper } from './paper.ts';
import type { PaperView } from './reply.ts';

/** What a reply, digest or alert shows of a stored paper. */
export function toPaperView(paper: Paper, reasons?: readonly string[]): PaperView {
  return {
    id: paper.id,
    version: paper.version,
    title: paper.title,
    url: absUrl(paper.id, paper.version),
    pdfUrl: pdfUrl(paper.id, paper.version),
    authors: paper.authors,
    tags: paper.classification.tags,
    day: paper.announcedOn,
    tldr: paper.classification.tldr,
    ...(reasons?.length ? { reasons } : {}),
  };
}
