import type { App } from '../app.ts';
import type { ServePart } from '../cli/serve-part.ts';
import { createEmailService, type EmailService } from '../email/email-service.ts';
import { emailSettings } from '../email/email-settings.ts';
import { createSmtpMailer } from '../email/mailer.ts';
import { webRoutes } from './routes/index.ts';
import { STYLE_VERSION } from './routes/static-routes.ts';
import type { WebContext } from './web-context.ts';
import { createWebHandler, type RequestHandler, startWebServer } from './web-server.ts';

/**
 * The web page, feeds, JSON API and /healthz on WEB_HOST:WEB_PORT, always on. With SMTP
 * configured it also offers email subscriptions and carries the email Messenger, through which the
 * daily delivery sends email alerts.
 */
export const webPart: ServePart = {
  name: 'web',
  async start({ app, mode }) {
    const settings = emailSettings(app.config);
    if (mode === 'deliver') {
      // A one-shot `digest` sends email alerts but serves no page: a running `serve` may hold the port.
      if (!settings) return null;
      const email = createEmail(app, settings.smtpUrl, settings.from, settings.baseUrl);
      return { messenger: email.messenger, stop: async () => email.close() };
    }
    // Until the server knows its own address (WEB_PORT=0 picks one), requests wait for nothing: 503.
    let handle: RequestHandler = (_request, response) => response.writeHead(503).end();
    const server = await startWebServer((request, response) => handle(request, response), app.config.WEB_HOST, app.config.WEB_PORT);
    const baseUrl = app.config.WEB_BASE_URL ?? server.url.replace(/\/\/(0\.0\.0\.0|\[::\])/, '//localhost');
    const email = settings ? createEmail(app, settings.smtpUrl, settings.from, baseUrl) : null;
    const context = webContext(app, baseUrl, email);
    handle = createWebHandler(context, webRoutes(context), app.config.WEB_TRUST_PROXY);
    app.log.info({ url: server.url, baseUrl, email: email !== null }, 'web server listening');
    return {
      ...(email ? { messenger: email.messenger } : {}),
      async stop() {
        await server.close();
        email?.close();
      },
    };
  },
};

export function webContext(app: App, baseUrl: string, email: EmailService | null): WebContext {
  return {
    db: app.db,
    vocabulary: app.vocabulary,
    timeZone: app.config.DIGEST_TIMEZONE,
    now: app.now,
    baseUrl,
    log: app.log,
    email,
    similar: app.similar,
    styleVersion: STYLE_VERSION,
  };
}

function createEmail(app: App, smtpUrl: string, from: string, baseUrl: string): EmailService {
  const log = app.log.child({ module: 'email' });
  return createEmailService({
    db: app.db,
    mailer: createSmtpMailer({ url: smtpUrl, from, log, signal: app.signal }),
    vocabulary: app.vocabulary,
    baseUrl,
    now: app.now,
    log: app.log,
    limits: { perClient: app.config.SUBSCRIBE_LIMIT_PER_IP, perAddress: app.config.SUBSCRIBE_LIMIT_PER_ADDRESS },
    tagsFor: app.classify.keywords.tagsFor,
  });
}
