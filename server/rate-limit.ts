import type { RequestHandler } from 'express';
import { DomainError } from '../engine/errors.js';
import { callerOf } from './authenticate.js';

/**
 * At most `perMinute` requests per principal in any minute (a token bucket refilled
 * continuously); the operator is not limited. In memory: each process limits its own share.
 */
export function rateLimit(perMinute: number, now: () => number = Date.now): RequestHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return (_req, res, next) => {
    const principal = callerOf(res);
    if (perMinute <= 0 || principal.kind === 'operator') return next();
    const t = now();
    const bucket = buckets.get(principal.id) ?? { tokens: perMinute, at: t };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * refillPerMs);
    bucket.at = t;
    buckets.set(principal.id, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      res.set('Retry-After', String(retryAfter));
      return next(new DomainError('rate_limited', `Too many requests: at most ${perMinute} a minute. Try again in ${retryAfter} s.`));
    }
    bucket.tokens -= 1;
    next();
  };
}
