import { html, type SafeHtml } from '../../rendering/html.ts';
import type { WebContext } from '../web-context.ts';
import { layout } from './layout.ts';

export type Notice = {
  readonly title: string;
  readonly paragraphs: readonly (string | SafeHtml)[];
  /** A button that POSTs to `action` (confirming or unsubscribing: a GET never changes anything). */
  readonly button?: { readonly label: string; readonly action: string };
  /** More such buttons, after it (a vote taken back or turned the other way). */
  readonly buttons?: readonly { readonly label: string; readonly action: string }[];
  /** The message is about a problem (shown with role="alert"). */
  readonly problem?: boolean;
};

/** A short page: the answer to a form, a confirmation or unsubscribe step, or an error. */
export function noticePage(context: WebContext, notice: Notice): SafeHtml {
  const body = html`<section class="notice">
<h1>${notice.title}</h1>
${notice.paragraphs.map((paragraph, index) => html`<p${notice.problem && index === 0 ? html` role="alert"` : ''}>${paragraph}</p>`)}
${[...(notice.button ? [notice.button] : []), ...(notice.buttons ?? [])].map(
  (button) => html`<form method="post" action="${button.action}"><button type="submit">${button.label}</button></form>`,
)}
</section>`;
  return layout(context, { title: notice.title, noIndex: true, body });
}
