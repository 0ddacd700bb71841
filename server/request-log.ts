import type { RequestHandler } from 'express';
import type { Principal } from '../engine/principal.js';
import type { ServerContext } from './context.js';
import { requestIdOf } from './request-id.js';
import { routeLabel } from './route-label.js';

/**
 * One line per request when it ends: method, route pattern, status, duration and the
 * principal's id. Never the URL, headers or body: the query may hold a token
 * (EventSource's `?token=`), headers the bearer token, bodies card numbers. A debug line
 * marks the start, with the path only.
 */
export function requestLog(log: ServerContext['log']): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    const requestId = requestIdOf(res);
    log('debug', 'request started', { requestId, method: req.method, path: req.path });
    res.on('close', () => {
      const principal = res.locals.principal as Principal | undefined;
      log('info', 'request', {
        requestId,
        method: req.method,
        route: routeLabel(req, res),
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - start) / 1e6,
        principalId: principal?.id ?? null,
        // The client went away before the answer was complete.
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    next();
  };
}
