import express from 'express';
import { DomainError } from '../engine/errors.js';
import { authenticate } from './authenticate.js';
import type { ServerContext } from './context.js';
import { countRefusals, httpMetrics } from './http-metrics.js';
import { idempotency } from './idempotency.js';
import { metricsEndpoint } from './metrics-endpoint.js';
import { openApiDocument } from './openapi.js';
import { problemHandler } from './problem.js';
import { rateLimit } from './rate-limit.js';
import { requestId, requestIdOf } from './request-id.js';
import { requestLog } from './request-log.js';
import type { RouteModule } from './router.js';
import { routeRegistrar } from './router.js';
import { ROUTE_MODULES } from './routes/index.js';
import { requireVisible } from './visibility.js';
import { pagesRouter } from '../web/pages.js';

/** The largest request body the API reads (413 payload_too_large beyond). */
export const MAX_BODY_BYTES = 100_000;

/** The Express app over a server context: the API under /api, health, the web pages, and the error handler. */
export function createApp(ctx: ServerContext, modules: readonly RouteModule[] = ROUTE_MODULES) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // First, so that every answer, whoever gives it, carries an id, a log line and a timing.
  app.use(requestId(), requestLog(ctx.log), httpMetrics(ctx.metrics));

  app.get('/metrics', metricsEndpoint(ctx.metrics, ctx.metricsAccess));
  app.get('/healthz', async (_req, res) => {
    await ctx.database.db.selectFrom('clock').select('id').limit(1).execute();
    res.json({ status: 'ok' });
  });

  const api = express.Router();
  // Every body is read as JSON (API.md: "JSON in and out"), whatever its Content-Type says:
  // a body that is not JSON is 400 malformed_json rather than an absent body. 100 kB is
  // API.md's limit, in bytes (body-parser's '100kb' would be 102,400).
  api.use(express.json({ limit: MAX_BODY_BYTES, type: () => true }));
  const document = openApiDocument();
  api.get('/openapi.json', (_req, res) => void res.json(document));
  // EventSource cannot send headers: the journal stream alone takes its token from the query.
  const byHeader = authenticate(ctx);
  const byHeaderOrQuery = authenticate(ctx, { allowQueryToken: true });
  api.use((req, res, next) => (/^\/instances\/[^/]+\/stream$/.test(req.path) ? byHeaderOrQuery : byHeader)(req, res, next));
  api.use(rateLimit(ctx.rateLimit, () => Date.now()));
  api.use(idempotency(ctx));
  const routes = routeRegistrar(api, (principal, segment, id) => requireVisible(ctx, principal, segment, id));
  for (const module of modules) module(routes, ctx);
  api.use((req, _res, next) => next(new DomainError('not_found', `There is no ${req.method} ${req.baseUrl}${req.path}.`)));

  app.use('/api', api);
  app.use(pagesRouter());
  app.use((req, _res, next) => next(new DomainError('not_found', `There is no ${req.method} ${req.path}.`)));
  app.use(countRefusals(ctx.metrics));
  app.use(
    problemHandler((error, res) =>
      ctx.log('error', 'unhandled error', { requestId: requestIdOf(res), error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    ),
  );
  return Object.assign(app, { undefinedRoutes: () => routes.undefinedRoutes() });
}
