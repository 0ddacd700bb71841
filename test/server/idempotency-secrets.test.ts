import { createHash } from 'node:crypto';
import { describe, expect } from 'vitest';
import { withoutCardNumbers } from '../../server/idempotency.js';
import { BACKENDS } from '../helpers/databases.js';
import { serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

const test = serverTest(BACKENDS[0]!);

describe('idempotency records hold no card material', () => {
  test('the stored fingerprint of a profile creation is not a hash of a body with the card number', async ({ server }) => {
    const world = await createWorld(server);
    const number = '4111111111111111';
    const body = { name: 'Card', paymentMethod: { type: 'credit-card', number, expMonth: 12, expYear: 2030 }, contact: { name: 'n', address: 'a', email: 'e@x.example' } };
    await world.admin.post('/api/billing-profiles', body).set('Idempotency-Key', 'k1').expect(201);
    const replay = await world.admin.post('/api/billing-profiles', body).set('Idempotency-Key', 'k1').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const rows = await server.database.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    const naive = createHash('sha256').update(`POST /api/billing-profiles\n${JSON.stringify(body)}`).digest('hex');
    expect(rows[0]!.request_hash).not.toBe(naive);
    expect(JSON.stringify(rows[0])).not.toContain(number);
  });

  test('card numbers are reduced to length and last four, wherever they are', () => {
    expect(withoutCardNumbers({ a: [{ paymentMethod: { number: '4242 4242 4242 4242' } }] })).toEqual({ a: [{ paymentMethod: { number: 'card:16:4242' } }] });
  });
});
