import type { TagVocabulary } from '../domain/tags.ts';
import type { EmailService } from '../email/email-service.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/db.ts';
import type { SimilarPapers } from '../store/similar-papers.ts';

/** What the routes use; built once by the web part from the App. */
export type WebContext = {
  readonly db: Database;
  readonly vocabulary: TagVocabulary;
  /** DIGEST_TIMEZONE: what "today" and "last week" mean in a search. */
  readonly timeZone: string;
  readonly now: () => Date;
  /** WEB_BASE_URL, else http://localhost:WEB_PORT: absolute links in feeds and emails. */
  readonly baseUrl: string;
  readonly log: Logger;
  /** null when SMTP is not configured: the subscribe form and its routes do not exist. */
  readonly email: EmailService | null;
  /** "More like this": `like:` searches and the paper page's section. */
  readonly similar: SimilarPapers;
  /** Changes when the stylesheet does, so it can be cached for a long time. */
  readonly styleVersion: string;
};
