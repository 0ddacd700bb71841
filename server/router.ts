import type { NextFunction, Request, Response, Router } from 'express';
import { DomainError } from '../engine/errors.js';
import type { AccessKey } from './access.js';
import { ACCESS, accessKeyFor, mayAccess } from './access.js';
import { callerOf } from './authenticate.js';
import type { ServerContext } from './context.js';
import { setRouteLabel } from './route-label.js';

/** A route's work: validate, run the operation, answer. */
export type RouteHandler = (req: Request, res: Response) => Promise<void>;

/** The 403 for a principal that may not use a route, event or channel. */
export function forbidden(what: string): DomainError {
  return new DomainError('forbidden', `You may not ${what}. Ask a tenant admin or the operator for a principal that may.`);
}

/** Refuse with 403 unless the table allows the caller `route` qualified by an event or channel. */
export function authorizeQualified(res: Response, route: AccessKey, qualifier: string): void {
  const key = accessKeyFor(route, qualifier);
  if (key && !mayAccess(callerOf(res), key)) throw forbidden(`send ${qualifier.replace('channel=', 'a purchase through the ')} here`);
}

/**
 * Registers routes from the authorization table: a route is declared by its table key, so
 * none can exist without a row, and the table is checked before the handler runs.
 */
export function routeRegistrar(router: Router) {
  const registered = new Set<AccessKey>();
  return {
    define(key: AccessKey, handler: RouteHandler): void {
      const [method, path] = key.split(' ') as [string, string];
      registered.add(key);
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      // The table names full paths; this router is mounted at /api.
      router[verb](path.replace(/^\/api/, ''), (req: Request, res: Response, next: NextFunction) => {
        setRouteLabel(res, path);
        if (!mayAccess(callerOf(res), key)) return next(forbidden(`${method} ${path}`));
        handler(req, res).catch(next);
      });
    },
    /** Table rows for whole routes that no module defined (a test keeps this empty). */
    undefinedRoutes(): AccessKey[] {
      return (Object.keys(ACCESS) as AccessKey[]).filter((key) => key.split(' ').length === 2 && !registered.has(key));
    },
  };
}

export type Registrar = ReturnType<typeof routeRegistrar>;

/** A module of routes. */
export type RouteModule = (routes: Registrar, ctx: ServerContext) => void;
