import type { RequestHandler, Response } from 'express';
import { DomainError } from '../engine/errors.js';
import type { Principal } from '../engine/principal.js';
import { hashToken } from '../engine/secrets.js';
import { findPrincipalByTokenHash } from '../storage/parties.repository.js';
import type { PrincipalRow } from '../storage/database.js';
import type { ServerContext } from './context.js';

/** The principal of a principal row. */
export function principalOf(row: PrincipalRow): Principal {
  return {
    id: row.id,
    kind: row.kind as Principal['kind'],
    name: row.name,
    tenantId: row.tenant_id,
    roles: JSON.parse(row.roles) as Principal['roles'],
    publisherId: row.publisher_id,
    partnerId: row.partner_id,
  };
}

/** The authenticated caller of a request (set by `authenticate`). */
export function callerOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error('route registered without authentication');
  return principal;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Who is calling: the bearer token (or `?token=` for EventSource, which cannot send
 * headers) looked up by its hash. Principals are never deleted, so a found one is cached.
 */
export function authenticate(ctx: ServerContext, options: { allowQueryToken?: boolean } = {}): RequestHandler {
  const cache = new Map<string, Principal>();
  return async (req, res, next) => {
    const header = req.get('authorization');
    const token = header ? BEARER.exec(header)?.[1] : options.allowQueryToken && typeof req.query.token === 'string' ? req.query.token : undefined;
    if (!token) return next(new DomainError('unauthenticated', 'Send Authorization: Bearer <token>.'));
    const hash = hashToken(token);
    let principal = cache.get(hash);
    if (!principal) {
      const row = await findPrincipalByTokenHash(ctx.database.db, hash);
      if (!row) return next(new DomainError('unauthenticated', 'The token is not known. Ask the operator for one.'));
      principal = principalOf(row);
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, principal);
    }
    res.locals.principal = principal;
    next();
  };
}
