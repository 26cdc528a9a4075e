import { absUrl } from '../domain/arxiv-id.ts';
import type { Paper } from '../domain/paper.ts';

export type RenderOptions = {
  readonly tags: readonly string[];
  readonly categories: readonly string[];
  /** The day shown in the update badge. */
  readonly updatedOn: string;
};

/**
 * Writes the original README format: a header with the total count and tag list, then one section
 * per announcement day, newest first. Papers must come newest day first (as the archive lists them);
 * a paper without an announcement day has no section to go in and is left out.
 */
export function renderReadme(papers: readonly Paper[], options: RenderOptions): string {
  const header = [
    '<div align="center">',
    '',
    '# Daily Arxiv Papers (LMSys)',
    '',
    `![Static Badge](https://img.shields.io/badge/total_papers-${papers.length}-blue?logo=gitbook)`,
    `![Static Badge](https://img.shields.io/badge/update-${options.updatedOn.replaceAll('-', '.')}-red?logo=fireship)`,
    ...options.categories.map(
      (category) => `[![Static Badge](https://img.shields.io/badge/arXiv-${category}-green)](https://arxiv.org/list/${category}/recent)`,
    ),
    '',
    '`Fetch from arxiv` → `LLM Filter` → `GitHub workflow update`',
    '',
    '</div>',
    '',
    `**🔖TAGS**:${options.tags.map((tag) => `\`${tag}\``).join(' ')}`,
    '',
    '---',
  ];
  const body: string[] = [];
  let day: string | null = null;
  for (const paper of papers) {
    if (!paper.announcedOn) continue;
    if (paper.announcedOn !== day) {
      day = paper.announcedOn;
      body.push(`### ${day}`);
    }
    body.push(...renderEntry(paper));
  }
  return `${[...header, ...body].join('\n')}\n`;
}

function renderEntry(paper: Paper): string[] {
  const { tags, tldr } = paper.classification;
  const tagText = tags.map((tag) => `\`${tag}\` `).join('');
  const title = paper.title.replace(/\s+/g, ' ');
  const line = `* ${tagText}[${title}](${absUrl(paper.id, paper.version)})`;
  return tldr ? [line, `  > **TL;DR**: ${tldr.replace(/\s+/g, ' ')}`] : [line];
}
