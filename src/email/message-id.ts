/**
 * The Message-ID of a delivery's email, derived from its ledger key (`alert:email:<id>:<day>` →
 * `<alert.email.<id>.<day>@papers.example.org>`): every send of the same delivery carries the same
 * one. SMTP has no way to ask whether an earlier send arrived, so after a crash between the relay's
 * 250 and the ledger's mark the email goes out again; mail systems that drop a message whose
 * Message-ID the mailbox already holds then show it once, and anyone can tell the two apart from
 * any other email by the id.
 */
export function messageIdFor(deliveryKey: string, host: string): string {
  // RFC 5322 id-left is a dot-atom: the key's separators become dots, anything outside atext a hyphen.
  const left = deliveryKey.replaceAll(':', '.').replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '-');
  return `<${left}@${host}>`;
}
