import { codeSpans, html, type SafeHtml } from '../../rendering/html.ts';
import type { WebContext } from '../web-context.ts';
import { layout } from './layout.ts';

export type SubscribeForm = {
  readonly address: string;
  readonly what: string;
  /** A mistake to fix, shown above the form and tied to the field it is about. */
  readonly error?: { readonly field: 'address' | 'what'; readonly message: string } | null;
};

/** The email subscription form: an address and what to follow, in the words `/subscribe` takes. */
export function subscribePage(context: WebContext, form: SubscribeForm): SafeHtml {
  const error = form.error ?? null;
  const invalid = (field: 'address' | 'what') => (error?.field === field ? html` aria-invalid="true" aria-describedby="form-error"` : '');
  const body = html`<h1>New papers by email</h1>
<p>One email per announcement day with the new papers that match what you follow, each with why it matched. Nothing is sent until you confirm with the link we email you; every email has a one-click unsubscribe link.</p>
${error ? html`<p class="error" id="form-error" role="alert">${codeSpans(error.message)}</p>` : ''}
<form class="subscribe" method="post" action="/subscribe">
<label for="address">Email address</label>
<input id="address" name="address" type="email" required maxlength="254" autocomplete="email" value="${form.address}"${invalid('address')}>
<label for="what">Follow</label>
<input id="what" name="what" type="text" required maxlength="300" value="${form.what}" placeholder='MoE "kv cache" author:Song Han' aria-describedby="what-help"${invalid('what')}>
<p id="what-help" class="hint">Tags (<code>MoE</code>, <code>serving</code> …), keywords (all words must appear), <code>"exact phrases"</code> or <code>author:Name</code>; add <code>picks</code> for up to 5 more papers a day picked for you once you have marked 5 relevant and 3 not relevant. Tags: ${context.vocabulary.names().join(', ')}.</p>
<button type="submit">Send me a confirmation link</button>
</form>`;
  return layout(context, { title: 'Email alerts', body });
}
