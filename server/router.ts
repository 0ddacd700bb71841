import type { NextFunction, Request, Response } from 'express';
import { Router } from 'express';
import { DomainError } from '../engine/errors.js';
import type { Principal } from '../engine/principal.js';
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
 * none can exist without a row, and the table is checked before the handler runs. A caller
 * the table refuses on a route of one resource (`/:id`) is told 404 when `requireVisible`
 * says it cannot see that resource, 403 otherwise.
 *
 * Routes go into one router per resource (`/subscriptions`, `/invoices`…), mounted on
 * `router` as they first appear: Express tries a request against each route of a router in
 * turn, so with some forty routes in one list an event sent to a subscription was matched
 * against every route registered before it. Paths of different resources never overlap,
 * so the order that matters, within a resource, is kept.
 */
export function routeRegistrar(router: Router, requireVisible?: (principal: Principal, segment: string, id: string) => Promise<void>) {
  const registered = new Set<AccessKey>();
  const resources = new Map<string, Router>();
  const resourceRouter = (segment: string): Router => {
    let resource = resources.get(segment);
    if (!resource) {
      resource = Router();
      resources.set(segment, resource);
      router.use(segment, resource);
    }
    return resource;
  };
  return {
    define(key: AccessKey, handler: RouteHandler): void {
      const [method, path] = key.split(' ') as [string, string];
      registered.add(key);
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      // The table names full paths; `router` is mounted at /api, each resource's below it.
      const [, segment = '', rest = ''] = /^\/api(\/[^/]+)(.*)$/.exec(path) ?? [];
      if (!segment) throw new Error(`route ${key} is not under /api/<resource>`);
      resourceRouter(segment)[verb](rest || '/', (req: Request, res: Response, next: NextFunction) => {
        setRouteLabel(res, path);
        const caller = callerOf(res);
        if (!mayAccess(caller, key)) {
          const refused = forbidden(`${method} ${path}`);
          const id = req.params.id;
          if (!requireVisible || typeof id !== 'string') return next(refused);
          // What the caller may not see is 404 before what it may not do is 403.
          return void requireVisible(caller, segment, id).then(() => next(refused), next);
        }
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
