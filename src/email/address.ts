import { domainToASCII } from 'node:url';

export const MAX_ADDRESS_LENGTH = 254;

// RFC 5322 dot-atom local part: no quoted strings, comments or IP literals; no Unicode (few servers take SMTPUTF8).
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A deliverable-looking address in one canonical form (lower case, the domain in punycode), or
 * null. Deliberately strict: what a person types into a form, not everything RFC 5322 allows.
 * Lower-casing the local part is not strictly right, but every real provider treats it so, and it
 * keeps one person from holding two subscriptions by changing case.
 */
export function normalizeAddress(input: string): string | null {
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_ADDRESS_LENGTH) return null;
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return null;
  const local = text.slice(0, at);
  if (local.length > 64 || !LOCAL.test(local)) return null;
  const domain = domainToASCII(text.slice(at + 1).replace(/\.$/, '')).toLowerCase();
  if (!domain || domain.length > 253) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  // A top-level domain is letters (or an IDN in punycode), never all digits: `a@10.0.0.1` is not an address.
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels.at(-1) as string)) return null;
  const address = `${local}@${domain}`.toLowerCase();
  return address.length <= MAX_ADDRESS_LENGTH ? address : null;
}
