import { isDeepStrictEqual } from 'node:util';
import type { HttpClient } from './http-client.js';
import type { Population } from './population.js';
import { PLAN_SEATS } from './template.js';

// Everything the API shows of a subscription, read alike from the template and a clone.
const READS = ['', '/history', '/licenses', '/invoices'] as const;

/**
 * Checks through the running service that clone `n` is what the engine would have made:
 * its view, history, licenses and invoices equal the template's with the clone's ids,
 * and it takes two CHANGE_QUANTITY events (down, then back) like any subscription.
 * Throws on the first difference.
 */
export async function checkClone(client: HttpClient, population: Population, n: number): Promise<void> {
  const { template } = population;
  const id = population.subscriptionId(n);
  const token = population.adminToken(population.tenantOf(n));
  for (const read of READS) {
    const expected = JSON.parse(population.asClone(n, JSON.stringify(await client.expect(200, 'GET', `/api/subscriptions/${template.subscriptionId}${read}`, template.adminToken)))) as unknown;
    const actual = await client.expect(200, 'GET', `/api/subscriptions/${id}${read}`, token);
    if (!isDeepStrictEqual(actual, expected)) {
      throw new Error(`clone ${id}${read} differs from the template's:\n  expected ${JSON.stringify(expected)}\n  got      ${JSON.stringify(actual)}`);
    }
  }
  const before = await client.expect<{ version: number }>(200, 'GET', `/api/subscriptions/${id}`, token);
  const events = `/api/subscriptions/${id}/events`;
  for (const quantity of [PLAN_SEATS.start - 1, PLAN_SEATS.start]) {
    await client.expect(200, 'POST', events, token, { type: 'CHANGE_QUANTITY', quantity });
  }
  const after = await client.expect<{ quantity: number; version: number }>(200, 'GET', `/api/subscriptions/${id}`, token);
  if (after.quantity !== PLAN_SEATS.start || after.version !== before.version + 2) throw new Error(`clone ${id} after two changes: ${JSON.stringify(after)}`);
  if (population.tenants < 2) return;
  // Another tenant's admin must not see it.
  const other = population.adminToken((population.tenantOf(n) + 1) % population.tenants);
  if ((await client.request('GET', `/api/subscriptions/${id}`, other)).status !== 404) throw new Error(`clone ${id} is visible to another tenant`);
}
