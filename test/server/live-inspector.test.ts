import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createWebSocketInspector, createWebSocketReceiver } from '@statelyai/inspect';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { createInspectorServer } from '@statelyai/inspect/server';
import { describe, expect, test } from 'vitest';
import type { InspectedActor, InspectedSnapshot, InspectorSink } from '../../server/live-inspector.js';
import { attachInspector } from '../../server/live-inspector.js';
import { startServer } from '../helpers/server.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { createWorld } from '../helpers/world.js';

// INSPECT=ws: the engine's committed units, told to @statelyai/inspect as actors, events
// and snapshots.

type Call =
  | { kind: 'actor'; id: string; definitionId: unknown; value: unknown; parentId: string | undefined }
  | { kind: 'event'; id: string; type: string; source: string | undefined }
  | { kind: 'snapshot'; id: string; value: unknown; event: string | undefined; context: boolean };

function recorder(): InspectorSink & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    actor: (actor: InspectedActor, snapshot: InspectedSnapshot, info) =>
      calls.push({ kind: 'actor', id: actor.sessionId, definitionId: (actor.logic.config as { id?: unknown }).id, value: snapshot.value, parentId: info?.parentId }),
    event: (id, event, info) => calls.push({ kind: 'event', id, type: event.type, source: info?.source }),
    snapshot: (id, snapshot, info) => calls.push({ kind: 'snapshot', id, value: snapshot.value, event: info?.event?.type, context: snapshot.context !== undefined }),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('INSPECT=ws: live actors for @statelyai/inspect', () => {
  test('each instance is announced once with its machine, then every accepted event and the state it led to', async () => {
    const server = await startServer('sqlite');
    try {
      const sink = recorder();
      const detach = attachInspector(server.service.ctx.runtime.engine, sink);
      const world = await createWorld(server);
      const subscriptionId = await buyDirect(world, await createProfile(world));
      await activateViaPortal(world, subscriptionId);
      detach();
      await settle();

      const forSubscription = sink.calls.filter((c) => c.id === subscriptionId);
      expect(forSubscription[0]).toMatchObject({ kind: 'actor', definitionId: 'subscription', value: 'pendingActivation' });
      expect(forSubscription[0]?.kind === 'actor' && forSubscription[0].parentId).toMatch(/^pur_/);
      expect(forSubscription.filter((c) => c.kind === 'actor')).toHaveLength(1);
      expect(forSubscription.filter((c) => c.kind === 'event').map((c) => c.kind === 'event' && c.type)).toEqual(['OPEN_PUBLISHER_PORTAL', 'HANDOFF_RESOLVED', 'ACTIVATE']);
      expect(forSubscription.at(-1)).toMatchObject({ kind: 'snapshot', value: { active: { billing: 'current' } }, event: 'ACTIVATE', context: true });
      expect(sink.calls.find((c) => c.kind === 'event' && c.type === 'ACTIVATE')).toMatchObject({ source: world.publisher.id });
      // The purchase, the activation handoff and the first invoice are instances too.
      const machines = new Set(sink.calls.filter((c) => c.kind === 'actor').map((c) => c.kind === 'actor' && c.definitionId));
      expect(machines).toEqual(new Set(['purchase', 'subscription', 'activation', 'invoice']));
    } finally {
      await server.stop();
    }
  });

  test('through a WebSocket: the relay of @statelyai/inspect/server passes them on to a receiver', async () => {
    const port = await freePort();
    const relay = createInspectorServer({ port, autoOpen: false });
    const server = await startServer('sqlite');
    const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` });
    try {
      const received: StatelyInspectionEvent[] = [];
      createWebSocketReceiver({ server: `ws://127.0.0.1:${port}` }).subscribe((event) => received.push(event));
      const detach = attachInspector(server.service.ctx.runtime.engine, inspector);
      const world = await createWorld(server);
      const subscriptionId = await buyDirect(world, await createProfile(world));
      await expect
        .poll(() => received.find((e) => e.type === '@xstate.actor' && e.sessionId === subscriptionId), { timeout: 10_000 })
        .toMatchObject({ name: 'subscription', snapshot: { value: 'pendingActivation' } });
      expect(received.find((e) => e.type === '@xstate.actor' && e.sessionId === subscriptionId)).toHaveProperty('definition');
      detach();
    } finally {
      inspector.stop();
      relay.stop();
      await server.stop();
    }
  });
});
