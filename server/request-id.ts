import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

// What a caller's id may look like to be kept: short, and nothing that could forge a log
// line or a header (no spaces, quotes or control characters).
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of the request being answered (set by {@link requestId}). */
export function requestIdOf(res: Response): string | undefined {
  return res.locals.requestId as string | undefined;
}

/**
 * Gives each request an id: the caller's `X-Request-Id` when it looks sane, a new UUID
 * otherwise. It is echoed in the response's `X-Request-Id` and carried in every log line.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming !== undefined && SANE.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.set('X-Request-Id', id);
    next();
  };
}
