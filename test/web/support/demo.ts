import { seedDemo } from '../../../server/seed.js';
import { warmClientScripts } from '../../../web/assets.js';
import type { DemoTokens } from '../../../server/seed.js';
import { OPERATOR_TOKEN, startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

/** A running service seeded like `npm start`'s demo: the publisher's landing page is its own /publisher. */
export interface Demo {
  readonly server: TestServer & { stop(): Promise<void> };
  readonly tokens: DemoTokens & { operator: string };
  readonly tenantId: string;
  readonly apps: { readonly sketchbook: DemoApp; readonly ledgerly: DemoApp };
}

interface DemoApp {
  readonly id: string;
  readonly flatPlanId?: string;
  readonly seatPlanId: string;
}

interface AppView {
  id: string;
  name: string;
  plans: { id: string; pricingModel: string }[];
}

/** Start the service on SQLite (manual clock) with the demo data. */
export async function startDemo(): Promise<Demo> {
  const [server] = await Promise.all([startServer('sqlite'), warmClientScripts()]);
  const tokens = await seedDemo(server.database, server.url, new Date(server.service.ctx.runtime.clock.now()).toISOString());
  const admin = server.as(tokens.admin);
  const tenantId = (await admin.get('/api/tenant').expect(200)).body.id as string;
  const apps = (await admin.get('/api/apps').expect(200)).body.items as AppView[];
  const find = (name: string): DemoApp => {
    const app = apps.find((a) => a.name === name);
    if (!app) throw new Error(`the demo has no app ${name}`);
    const plan = (model: string) => app.plans.find((p) => p.pricingModel === model)?.id;
    return { id: app.id, flatPlanId: plan('flat'), seatPlanId: plan('per-license') ?? '' };
  };
  return { server, tokens: { ...tokens, operator: OPERATOR_TOKEN }, tenantId, apps: { sketchbook: find('Sketchbook'), ledgerly: find('Ledgerly') } };
}
