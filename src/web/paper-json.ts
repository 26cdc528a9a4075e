import { absUrl, pdfUrl } from '../domain/arxiv-id.ts';
import type { Paper } from '../domain/paper.ts';
import { absolute, paths } from '../rendering/paths.ts';
import type { PaperVersion } from '../store/papers.ts';

/** A paper in the JSON API: what its page shows, with absolute links. Documented in the README. */
export type PaperJson = {
  id: string;
  version: number;
  title: string;
  authors: readonly string[];
  abstract: string;
  categories: readonly string[];
  primaryCategory: string | null;
  announcedOn: string | null;
  relevant: boolean | null;
  tags: readonly string[];
  tldr: string | null;
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  links: { page: string; arxiv: string; pdf: string };
  versions?: readonly { version: number; title: string; announcedOn: string | null; announceType: string | null; updatedAt: string | null }[];
};

export function paperJson(paper: Paper, baseUrl: string, versions?: readonly PaperVersion[]): PaperJson {
  return {
    id: paper.id,
    version: paper.version,
    title: paper.title,
    authors: paper.authors,
    abstract: paper.abstract,
    categories: paper.categories,
    primaryCategory: paper.primaryCategory,
    announcedOn: paper.announcedOn,
    relevant: paper.classification.relevant,
    tags: paper.classification.tags,
    tldr: paper.classification.tldr,
    comment: paper.comment,
    journalRef: paper.journalRef,
    doi: paper.doi,
    links: { page: absolute(baseUrl, paths.paper(paper.id)), arxiv: absUrl(paper.id, paper.version), pdf: pdfUrl(paper.id, paper.version) },
    ...(versions
      ? {
          versions: versions.map((version) => ({
            version: version.version,
            title: version.title,
            announcedOn: version.announcedOn,
            announceType: version.announceType,
            updatedAt: version.updatedAt,
          })),
        }
      : {}),
  };
}
