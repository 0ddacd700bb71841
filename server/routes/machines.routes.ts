import { z } from 'zod';
import { DomainError } from '../../engine/errors.js';
import type { InstanceRecord } from '../../engine/instance.js';
import { snapshotOf, statusOf } from '../../engine/instance.js';
import { recordOf } from '../../engine/sql-store.js';
import { MACHINES, MACHINE_NAMES, machineEntry } from '../../machines/index.js';
import { listInstances } from '../../storage/instance-queries.repository.js';
import { journalOf } from '../../storage/instances.repository.js';
import { machineGraph } from '../../web/diagram/machine-graph.js';
import { activeStateIds, renderMachineSvg } from '../../web/diagram/render-svg.js';
import { callerOf } from '../authenticate.js';
import type { ServerContext } from '../context.js';
import { decodeCursor, page } from '../pagination.js';
import type { RouteModule } from '../router.js';
import { validate } from '../validate.js';
import { listQuery } from '../validators.js';
import { seesSubscription } from '../visibility.js';
import type { Principal } from '../../engine/principal.js';
import { isTenantAdmin } from '../../engine/principal.js';

/** Whether a caller may read an instance's journal: the operator always; tenant admins and publishers their subscriptions. */
export function mayReadHistory(principal: Principal, record: InstanceRecord): boolean {
  if (principal.kind === 'operator') return true;
  if (record.machine !== 'subscription' || !seesSubscription(principal, record)) return false;
  return principal.kind === 'publisher' || isTenantAdmin(principal);
}

async function readableInstance(ctx: ServerContext, principal: Principal, id: string): Promise<InstanceRecord> {
  const record = await ctx.runtime.engine.get(id);
  if (!record || !mayReadHistory(principal, record)) throw new DomainError('not_found', `There is no instance ${id} that you can see.`);
  return record;
}

const instanceQuery = listQuery.extend({
  machine: z.enum(MACHINE_NAMES as [string, ...string[]]).optional(),
  tenantId: z.string().max(100).optional(),
  status: z.string().max(100).optional(),
  id: z.string().max(100).optional(),
});

function instanceSummary(record: InstanceRecord) {
  return { id: record.id, machine: record.machine, version: record.version, status: statusOf(record.persisted.value), value: record.persisted.value, createdAt: record.createdAt, updatedAt: record.updatedAt };
}

/** Machines as data and diagrams; instances and their journals for the inspector, live over SSE. */
export const machineRoutes: RouteModule = (routes, ctx) => {
  const reader = ctx.database.reader;

  routes.define('GET /api/machines', async (_req, res) => {
    res.json({
      items: MACHINE_NAMES.map((name) => {
        const graph = machineGraph(MACHINES[name].machine);
        // States by their path from the machine's root ('active', 'active.billing.pastDue'): the
        // names the views' `value` and `status` use, not the graph's ids prefixed with the machine.
        const states = graph.nodes.filter((n) => n.parent !== null).map((n) => n.id.slice(name.length + 1));
        return { name, states, events: MACHINES[name].events, clientEvents: MACHINES[name].clientEvents };
      }),
    });
  });

  routes.define('GET /api/machines/:name', async (req, res) => {
    const entry = machineEntry(String(req.params.name));
    if (!entry) throw new DomainError('not_found', `There is no machine ${String(req.params.name)}; see GET /api/machines.`);
    res.json({ name: entry.name, clientEvents: entry.clientEvents, events: entry.events, ...machineGraph(entry.machine) });
  });

  routes.define('GET /api/machines/:name/diagram.svg', async (req, res) => {
    const entry = machineEntry(String(req.params.name));
    if (!entry) throw new DomainError('not_found', `There is no machine ${String(req.params.name)}; see GET /api/machines.`);
    const { instance } = validate(z.object({ instance: z.string().max(100).optional() }), req.query, 'query');
    let active: string[] = [];
    if (instance) {
      const record = await readableInstance(ctx, callerOf(res), instance);
      if (record.machine !== entry.name) throw new DomainError('not_found', `Instance ${instance} is not a ${entry.name}.`);
      active = activeStateIds(snapshotOf(record));
    }
    res.type('image/svg+xml').set('Cache-Control', 'no-store').send(await renderMachineSvg(entry.machine, active));
  });

  routes.define('GET /api/instances', async (req, res) => {
    const query = validate(instanceQuery, req.query, 'query');
    const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
    const rows = await listInstances(reader, { machine: query.machine, tenantId: query.tenantId, status: query.status, id: query.id }, after, query.limit + 1);
    res.json(page(rows.map(recordOf), query.limit, instanceSummary, (r) => [r.createdAt, r.id]));
  });

  routes.define('GET /api/instances/:id', async (req, res) => {
    const record = await readableInstance(ctx, callerOf(res), String(req.params.id));
    res.set('ETag', `"${record.version}"`).json({ ...instanceSummary(record), context: record.persisted.context });
  });

  routes.define('GET /api/instances/:id/stream', async (req, res) => {
    const record = await readableInstance(ctx, callerOf(res), String(req.params.id));
    const lastEventId = Number(req.get('last-event-id') ?? 0) || 0;
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    let sent = lastEventId;
    const send = (entry: { seq: number; at: string; principalId: string; event: unknown; from: unknown; to: unknown }) => {
      if (entry.seq <= sent) return;
      sent = entry.seq;
      // Unnamed events (type `message`): what EventSource's onmessage receives.
      res.write(`id: ${entry.seq}\ndata: ${JSON.stringify({ instanceId: record.id, ...entry })}\n\n`);
    };
    // Subscribe before reading the backlog, so that nothing committed in between is lost.
    const live: Parameters<typeof send>[0][] = [];
    let replaying = true;
    const unsubscribe = ctx.runtime.engine.onCommit((results) => {
      for (const result of results) {
        for (const j of result.changeset.journal) {
          if (j.instanceId !== record.id) continue;
          const entry = { seq: j.seq, at: j.at, principalId: j.principalId, event: j.event, from: j.from, to: j.to };
          if (replaying) live.push(entry);
          else send(entry);
        }
      }
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
    for (const j of await journalOf(reader, record.id, lastEventId)) {
      send({ seq: j.seq, at: j.at, principalId: j.principal_id, event: JSON.parse(j.event), from: j.from_state === null ? null : JSON.parse(j.from_state), to: JSON.parse(j.to_state) });
    }
    replaying = false;
    for (const entry of live) send(entry);
  });
};
