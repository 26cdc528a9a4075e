/** An HTTP answer of the fake: status, JSON body (none for 204) and extra headers. */
export type FakeResponse = { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> };

/** One entry of an Invalid Form Body tree: `{ embeds: { 0: { title: { _errors: [...] } } } }`. */
export type FormErrors = { [field: string]: FormErrors | { code: string; message: string }[] };

/**
 * Discord's JSON errors as the bot meets them: `{ message, code }` with the HTTP status Discord
 * uses (names and codes from the JSON error code table, docs opcodes-and-status-codes.mdx; bodies
 * as in test/fixtures/discord/error-*.json).
 */
export const DISCORD_ERRORS = {
  unauthorized: { status: 401, body: { message: '401: Unauthorized', code: 0 } },
  notFound: { status: 404, body: { message: '404: Not Found', code: 0 } },
  methodNotAllowed: { status: 405, body: { message: '405: Method Not Allowed', code: 0 } },
  unknownApplication: { status: 404, body: { message: 'Unknown Application', code: 10002 } },
  unknownChannel: { status: 404, body: { message: 'Unknown Channel', code: 10003 } },
  unknownGuild: { status: 404, body: { message: 'Unknown Guild', code: 10004 } },
  unknownMessage: { status: 404, body: { message: 'Unknown Message', code: 10008 } },
  unknownWebhook: { status: 404, body: { message: 'Unknown Webhook', code: 10015 } },
  unknownInteraction: { status: 404, body: { message: 'Unknown interaction', code: 10062 } },
  alreadyAcknowledged: { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } },
  missingAccess: { status: 403, body: { message: 'Missing Access', code: 50001 } },
  emptyMessage: { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } },
  cannotMessageUser: { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } },
  invalidWebhookToken: { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } },
} as const satisfies Record<string, FakeResponse>;

/** 400 Invalid Form Body (50035) with the field tree Discord sends. */
export function invalidFormBody(errors: FormErrors): FakeResponse {
  return { status: 400, body: { code: 50035, errors, message: 'Invalid Form Body' } };
}

/** One field's error list, nested under `path` (`['embeds', 0, 'title']`). */
export function fieldError(path: readonly (string | number)[], code: string, message: string): FormErrors {
  let tree: FormErrors = { _errors: [{ code, message }] };
  for (const key of [...path].reverse()) tree = { [String(key)]: tree };
  return tree;
}

export function tooLong(path: readonly (string | number)[], max: number): FormErrors {
  return fieldError(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
}

export function badLength(path: readonly (string | number)[], min: number, max: number): FormErrors {
  return fieldError(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
}

export function required(path: readonly (string | number)[]): FormErrors {
  return fieldError(path, 'BASE_TYPE_REQUIRED', 'This field is required');
}
