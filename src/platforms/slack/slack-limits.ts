/**
 * Slack's message limits. The SDK checks none of them: Slack rejects a message over them
 * (`invalid_blocks`, `msg_blocks_too_long`) or cuts its text, so the renderers stay inside.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  contextElementText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  /** Slack reports `msg_blocks_too_long` around 13,000 characters of blocks; we count JSON and keep a margin. */
  blockCharacters: 12_000,
  /** A response_url takes at most this many messages (within 30 minutes). */
  responseUrlUses: 5,
} as const;
