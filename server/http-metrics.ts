import type { ErrorRequestHandler, RequestHandler } from 'express';
import { EventRefusedError } from '../engine/errors.js';
import type { ServiceMetrics } from './metrics.js';
import { routeLabel } from './route-label.js';

/** Times every answered request by method, route pattern and status. */
export function httpMetrics(metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => metrics.request(req.method, routeLabel(req, res), res.statusCode, Number(process.hrtime.bigint() - start) / 1e9));
    next();
  };
}

/**
 * Counts refused events on their way to the problem handler: every refusal a request
 * meets passes here, whichever route or engine call raised it, so this is the one place.
 */
export function countRefusals(metrics: ServiceMetrics): ErrorRequestHandler {
  return (error: unknown, _req, _res, next) => {
    if (error instanceof EventRefusedError) metrics.refused(error);
    next(error);
  };
}
