import type { RouteModule } from '../router.js';
import { billingProfileRoutes } from './billing-profiles.routes.js';
import { catalogRoutes } from './catalog.routes.js';
import { clockRoutes } from './clock.routes.js';
import { invoiceRoutes } from './invoices.routes.js';
import { machineRoutes } from './machines.routes.js';
import { operatorRoutes } from './operator.routes.js';
import { purchaseRoutes } from './purchases.routes.js';
import { subscriptionRoutes } from './subscriptions.routes.js';
import { tenantRoutes } from './tenant.routes.js';

/** Every route module, in the order they are registered. */
export const ROUTE_MODULES: readonly RouteModule[] = [
  operatorRoutes,
  catalogRoutes,
  tenantRoutes,
  billingProfileRoutes,
  purchaseRoutes,
  subscriptionRoutes,
  invoiceRoutes,
  clockRoutes,
  machineRoutes,
];
