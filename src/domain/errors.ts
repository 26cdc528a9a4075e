/** A mistake by the person at the keyboard or in chat: shown to them as is, never logged as a bug. */
export class UserError extends Error {
  override readonly name = 'UserError';
}
