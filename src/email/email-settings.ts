import { ConfigError } from '../config.ts';
import { normalizeAddress } from './address.ts';

export type EmailSettings = { readonly smtpUrl: string; readonly from: string; readonly baseUrl: string };

/**
 * Email is on when SMTP_URL is set; then MAIL_FROM (a sender address) and WEB_BASE_URL (the public
 * address that the links in emails point to) are required too. Without SMTP_URL the feature is
 * hidden: no form, no email routes. Half a configuration stops the server, naming what is missing.
 */
export function emailSettings(config: {
  readonly SMTP_URL?: string | undefined;
  readonly MAIL_FROM?: string | undefined;
  readonly WEB_BASE_URL?: string | undefined;
}): EmailSettings | null {
  if (!config.SMTP_URL) return null;
  const problems: string[] = [];
  if (!config.MAIL_FROM) problems.push('  MAIL_FROM="": required when SMTP_URL is set, e.g. lmsys-papers <papers@example.org>');
  else if (!senderAddress(config.MAIL_FROM)) problems.push(`  MAIL_FROM=${JSON.stringify(config.MAIL_FROM)}: expected an address, or a name and <address>`);
  if (!config.WEB_BASE_URL)
    problems.push('  WEB_BASE_URL="": required when SMTP_URL is set (the links in emails point there), e.g. https://papers.example.org');
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM as string, baseUrl: config.WEB_BASE_URL as string };
}

/** `papers@example.org` or `lmsys-papers <papers@example.org>` → the address; null otherwise. */
export function senderAddress(from: string): string | null {
  const named = /^[^<>\r\n]*<([^<>\s]+)>$/.exec(from.trim());
  return normalizeAddress(named ? (named[1] as string) : from);
}
