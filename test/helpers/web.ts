import type { App } from '../../src/app.ts';
import { createEmailService, type EmailService } from '../../src/email/email-service.ts';
import { createSmtpMailer } from '../../src/email/mailer.ts';
import { webRoutes } from '../../src/web/routes/index.ts';
import type { WebContext } from '../../src/web/web-context.ts';
import { webContext } from '../../src/web/web-part.ts';
import { createWebHandler, type RequestHandler, startWebServer } from '../../src/web/web-server.ts';

export type TestWeb = {
  readonly url: string;
  readonly context: WebContext;
  get(path: string, init?: RequestInit): Promise<Response>;
  /** A form POST, as a browser without JavaScript sends it. */
  post(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
};

export type TestWebOptions = {
  /** Builds the email service once the server's address (its base URL) is known. */
  readonly email?: (baseUrl: string) => EmailService;
  readonly trustProxy?: boolean;
};

/** The site on 127.0.0.1 with a free port; its base URL is its own address, so emailed links work. */
export async function startTestWeb(app: App, options: TestWebOptions = {}): Promise<TestWeb> {
  let handle: RequestHandler = (_request, response) => response.writeHead(503).end();
  const server = await startWebServer((request, response) => handle(request, response), '127.0.0.1', 0);
  const email = options.email?.(server.url) ?? null;
  const context = webContext(app, server.url, email);
  handle = createWebHandler(context, webRoutes(context), options.trustProxy ?? false);
  return {
    url: server.url,
    context,
    get: (path, init) => fetch(`${server.url}${path}`, { redirect: 'manual', ...init }),
    post: (path, fields, headers = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
      }),
    async close() {
      await server.close();
      email?.close();
    },
  };
}

/** The email service against a (fake) SMTP server, with short timeouts and the given limits. */
export function testEmail(app: App, smtpUrl: string, limits = { perClient: 100, perAddress: 100 }): (baseUrl: string) => EmailService {
  return (baseUrl) =>
    createEmailService({
      db: app.db,
      mailer: createSmtpMailer({ url: smtpUrl, from: 'lmsys-papers <papers@example.org>', log: app.log, timeoutMs: 2000 }),
      vocabulary: app.vocabulary,
      baseUrl,
      now: app.now,
      log: app.log,
      limits,
      tagsFor: app.classify.keywords.tagsFor,
    });
}
