import { describe, expect, test } from 'vitest';
import { BACKENDS, createSandbox } from '../helpers/databases.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { hostService } from '../helpers/service-host.js';
import { addOperator } from '../helpers/server.js';
import { signatureVerifies } from '../helpers/webhook-checks.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createWorld } from '../helpers/world.js';

for (const backend of BACKENDS) {
  describe(`${backend}: publisher webhooks across a restart`, () => {
    test('a receiver down while the service restarts still gets every delivery once it is back', async () => {
      const sandbox = await createSandbox(backend);
      // A port that was a receiver's and is now closed: connections are refused.
      const gone = await WebhookReceiver.start();
      await gone.close();
      let receiver: WebhookReceiver | undefined;
      try {
        const first = await sandbox.open();
        await addOperator(first);
        const before = await hostService(first);
        const world = await createWorld(before, { webhookUrl: gone.url });
        const id = await buyDirect(world, await createProfile(world), 2);
        await activateViaPortal(world, id);
        await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 3 }).expect(200);
        // The first attempts have been made (and refused) before the stop...
        await before.service.ctx.dispatcher.runDue();
        const tried = (await before.operator.get('/api/operator/deliveries?status=pending').expect(200)).body.items;
        expect(tried.map((d: { attempts: number }) => d.attempts)).toEqual([1, 1]);
        // ...and this one's may be cut short by it.
        await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 4 }).expect(200);
        await before.stop();
        await first.close();

        receiver = await WebhookReceiver.start(gone.port);
        const after = await hostService(await sandbox.open());
        // The retries are due 10 s after the refused attempts, on the clock the database kept.
        await after.operator.post('/api/clock/advance', { ms: 10_000 }).expect(200);
        await receiver.until('all three deliveries', () => receiver!.delivered.length === 3);

        const got = receiver.delivered.map((r) => r.body).sort((a, b) => a.version - b.version);
        expect(got.map((b) => [b.type, b.data.quantity])).toEqual([
          ['subscription.activated', 2],
          ['subscription.quantity_changed', 3],
          ['subscription.quantity_changed', 4],
        ]);
        for (const request of receiver.delivered) expect(signatureVerifies(world.publisher.webhookSecret, request)).toBe(true);
        // The receiver answers before the service records the answer: wait for the records.
        await after.service.ctx.dispatcher.runDue();
        const listed = (await after.operator.get('/api/operator/deliveries').expect(200)).body.items;
        expect(listed.map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
        expect(listed.map((d: { id: string }) => d.id).sort()).toEqual(got.map((b) => b.id).sort());
        await after.stop();
        expect([...before.faults(), ...after.faults()]).toEqual([]);
      } finally {
        await receiver?.close();
        await sandbox.destroy();
      }
    });
  });
}
