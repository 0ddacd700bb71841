import type { Request, Response } from 'express';

/** Where `routeRegistrar` records the pattern of the API route that matched. */
export function setRouteLabel(res: Response, pattern: string): void {
  res.locals.route = pattern;
}

/**
 * The route pattern that answered (`/api/subscriptions/:id/events`), never the URL: ids
 * would make every request a new label, and a query string may hold a token. API routes
 * record theirs (it survives an error thrown out of the router); other routes are read
 * from Express. An answer given before any route matched (no token, rate limit, an
 * idempotent replay, 404) is `unrouted`.
 */
export function routeLabel(req: Request, res: Response): string {
  const recorded = res.locals.route as string | undefined;
  if (recorded) return recorded;
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : 'unrouted';
}
