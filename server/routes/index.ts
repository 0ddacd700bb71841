import type { RouteModule } from '../router.js';
import { catalogRoutes } from './catalog.routes.js';
import { operatorRoutes } from './operator.routes.js';
import { tenantRoutes } from './tenant.routes.js';

/** Every route module, in the order they are registered. */
export const ROUTE_MODULES: readonly RouteModule[] = [operatorRoutes, catalogRoutes, tenantRoutes];
