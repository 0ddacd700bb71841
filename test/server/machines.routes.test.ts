import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { OPERATOR_TOKEN, serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

interface StreamEvent {
  readonly id: string | undefined;
  readonly type: string | undefined;
  readonly data: { seq: number; instanceId: string; event: { type: string } };
}

/** Reads server-sent events from a stream until `count` have come, then closes it. */
async function readEvents(url: string, count: number, headers: Record<string, string> = {}): Promise<StreamEvent[]> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: StreamEvent[] = [];
  let buffer = '';
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()] as const));
        if (fields.has('data')) events.push({ id: fields.get('id'), type: fields.get('event'), data: JSON.parse(fields.get('data')!) });
      }
    }
  } finally {
    controller.abort();
  }
  return events;
}

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: machines and the journal stream (API.md "Machines and inspection")`, () => {
    test('GET /api/machines lists each machine with its states by name (as views name them) and its events', async ({ server }) => {
      const world = await createWorld(server);
      const { items } = (await world.user.get('/api/machines').expect(200)).body as { items: { name: string; states: string[]; events: string[] }[] };
      expect(items.map((m) => m.name)).toEqual(expect.arrayContaining(['purchase', 'subscription', 'activation', 'invoice']));
      const subscription = items.find((m) => m.name === 'subscription')!;
      expect(subscription.states).toEqual(
        expect.arrayContaining(['pendingActivation', 'active', 'active.billing', 'active.billing.current', 'active.billing.pastDue', 'deactivated']),
      );
      expect(subscription.events).toEqual(expect.arrayContaining(['ACTIVATE', 'CHANGE_QUANTITY', 'CANCEL', 'TERM_ENDED']));
      expect(items.find((m) => m.name === 'purchase')!.states).toEqual(expect.arrayContaining(['awaitingAgreement', 'placed', 'declined', 'expired']));
      expect((await world.user.get('/api/machines/subscription').expect(200)).body.name).toBe('subscription');
      expect((await world.user.get('/api/machines/nothing').expect(404)).body.code).toBe('not_found');
    });

    test("an instance's stream: its journal after Last-Event-ID as unnamed events with id = seq, then each new entry live", async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const id = await buyDirect(world, profile, 2);
      await activateViaPortal(world, id);
      const { version } = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      const url = `${server.url}/api/instances/${id}/stream`;
      const auth = { authorization: `Bearer ${OPERATOR_TOKEN}` };

      const backlog = await readEvents(url, version, auth);
      expect(backlog.map((e) => e.data.seq)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      // Unnamed, so that EventSource's onmessage receives them; the id resumes a reconnection.
      expect(backlog.every((e) => e.type === undefined && e.id === String(e.data.seq) && e.data.instanceId === id)).toBe(true);

      const resumed = readEvents(url, 2, { ...auth, 'last-event-id': String(version - 1) });
      // The entry before the reconnection point comes from the backlog; the next one live.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: false }).expect(200);
      const events = await resumed;
      expect(events.map((e) => [e.data.seq, e.data.event.type])).toEqual([
        [version, backlog.at(-1)!.data.event.type],
        [version + 1, 'SET_AUTO_RENEW'],
      ]);
    });
  });
}
