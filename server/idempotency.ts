import { hash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { DomainError } from '../engine/errors.js';
import { findIdempotentResponse, saveIdempotentResponse } from '../storage/idempotency.repository.js';
import { callerOf } from './authenticate.js';
import type { ServerContext } from './context.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface StoredResponse {
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

// Headers a replay must repeat for the response to be the same response.
const REPLAYED_HEADERS = ['etag', 'location', 'retry-after'];

/**
 * `Idempotency-Key` on a POST: the same key from the same principal with the same body
 * within 24 hours gets the first response again and changes nothing; with another body it
 * is refused. Requests with one key are taken one at a time.
 */
export function idempotency(ctx: ServerContext): RequestHandler {
  const inFlight = new Map<string, Promise<void>>();
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (key.length === 0 || key.length > 255) {
      return next(new DomainError('validation_failed', 'Idempotency-Key must be 1 to 255 characters.', { errors: [{ path: 'Idempotency-Key', message: '1 to 255 characters' }] }));
    }
    const principal = callerOf(res);
    const slot = `${principal.id}\u0000${key}`;
    while (inFlight.has(slot)) await inFlight.get(slot);
    // Taken before the first await below, so that a request with the same key arriving
    // meanwhile waits for this one's stored response instead of running a second time.
    let done!: () => void;
    const turn = new Promise<void>((resolve) => (done = resolve));
    inFlight.set(slot, turn);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (inFlight.get(slot) === turn) inFlight.delete(slot);
      done();
    };
    const requestHash = hash('sha256', `${req.method} ${req.originalUrl}\n${JSON.stringify(withoutCardNumbers(req.body ?? null))}`, 'hex');
    const since = new Date(ctx.runtime.clock.now() - DAY_MS).toISOString();
    let stored: Awaited<ReturnType<typeof findIdempotentResponse>>;
    try {
      stored = await findIdempotentResponse(ctx.database.db, principal.id, key, since);
    } catch (error) {
      release();
      return next(error);
    }
    if (stored) {
      release();
      if (stored.request_hash !== requestHash) {
        return next(new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with another request; use a new key for a new request.'));
      }
      const response = JSON.parse(stored.response) as StoredResponse;
      res.status(stored.status_code).set(response.headers).set('Idempotent-Replayed', 'true').type(response.contentType);
      return void res.send(JSON.stringify(response.body));
    }
    captureJson(res, async (body) => {
      try {
        if (res.statusCode >= 500) return;
        const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((h) => (res.get(h) ? [[h, String(res.get(h))]] : [])));
        const contentType = String(res.get('content-type') ?? 'application/json').split(';')[0]!;
        await saveIdempotentResponse(ctx.database.db, {
          principal_id: principal.id,
          key,
          request_hash: requestHash,
          status_code: res.statusCode,
          response: JSON.stringify({ contentType, headers, body } satisfies StoredResponse),
          created_at: new Date(ctx.runtime.clock.now()).toISOString(),
        });
      } catch (error) {
        ctx.log('warn', 'could not store an idempotent response', { error: String(error) });
      } finally {
        release();
      }
    });
    // A response that never reached res.json (a dropped connection, or an answer sent
    // another way) frees the key too.
    res.on('close', release);
    next();
  };
}

/**
 * The body as fingerprinted: a card number is replaced by its length and last four digits.
 * A hash of the full number would be at rest, and with the brand, last four and the Luhn
 * digit known it could be brute-forced. Two requests with one key that differ only in the
 * hidden digits count as the same request, which only a broken client would send.
 */
export function withoutCardNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCardNumbers);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (k === 'number' && typeof v === 'string') {
        const digits = v.replace(/\D/g, '');
        return [k, `card:${digits.length}:${digits.slice(-4)}`];
      }
      return [k, withoutCardNumbers(v)];
    }),
  );
}

function captureJson(res: Response, store: (body: unknown) => Promise<void>): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    // Store before answering, so that a retry that arrives right after finds it.
    void store(body).finally(() => json(body));
    return res;
  };
}
