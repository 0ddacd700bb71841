import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { expect } from 'vitest';
import { MachineCoverage } from './machine-coverage.js';
import type { Principal } from '../../engine/principal.js';
import type { MachineEntry, PlanTerms } from '../../machines/index.js';
import { allowedEvents } from '../../machines/index.js';
import type { AccessKey } from '../../server/access.js';
import { accessKeyFor, mayAccess } from '../../server/access.js';
import type { AuthedClient, TestServer } from './server.js';

// Shared by the model-based HTTP suites (test/server/*.model.http.test.ts): what they need
// to turn a model's inputs and events into requests, and its snapshots into expected views.

/** An app with one plan of these terms, created by a publisher; returns the app and its plan's id. */
export async function createAppFor(publisher: AuthedClient, plan: PlanTerms): Promise<{ appId: string; planId: string }> {
  const app = (
    await publisher
      .post('/api/apps', {
        name: plan.appName,
        plans: [
          {
            name: plan.planName,
            pricingModel: plan.pricingModel,
            billingTerm: plan.billingTerm,
            price: plan.price,
            ...(plan.pricingModel === 'per-license' ? { minQuantity: plan.minQuantity, maxQuantity: plan.maxQuantity } : {}),
          },
        ],
      })
      .expect(201)
  ).body;
  return { appId: app.id as string, planId: app.plans[0].id as string };
}

/** Moves the service clock to a model event's time, firing what falls due; nothing if it is there already. */
export async function advanceClockTo(server: TestServer, at: string): Promise<void> {
  const now = (await server.operator.get('/api/clock').expect(200)).body.now as string;
  if (now < at) await server.operator.post('/api/clock/advance', { to: at }).expect(200);
}

/** The client events a snapshot accepts that a principal of this kind and roles may send on this route. */
export function allowedFor(entry: MachineEntry, route: AccessKey, snapshot: AnyMachineSnapshot, principal: Pick<Principal, 'kind' | 'roles'>): string[] {
  const caller = { id: 'x', name: 'x', tenantId: 't', publisherId: 'p', partnerId: 'q', ...principal } as Principal;
  return allowedEvents(entry, snapshot, entry.clientEvents).filter((type) => {
    const key = accessKeyFor(route, type);
    return key !== undefined && mayAccess(caller, key);
  });
}

/** A machine's snapshot as the server holds it, from the operator's `GET /api/instances/:id` (value and context). */
export function servedSnapshot(entry: MachineEntry, instance: { value: unknown; context: unknown }): AnyMachineSnapshot {
  return entry.machine.resolveState({ value: instance.value as never, context: instance.context as never });
}

/**
 * Replays each path through `replay` (one fresh server each), then prints the coverage the
 * replays recorded and asserts every state and transition was reached through HTTP.
 */
export async function expectFullCoverageOverHttp<P>(
  machine: AnyStateMachine,
  paths: readonly P[],
  replay: (path: P, coverage: MachineCoverage) => Promise<void>,
): Promise<void> {
  const coverage = new MachineCoverage(machine);
  for (const path of paths) await replay(path, coverage);
  console.log(`HTTP ${coverage.summary()} (${paths.length} paths)`);
  const { states, transitions } = coverage.report();
  expect(states.missing).toEqual([]);
  expect(transitions.missing).toEqual([]);
}
