import type { HttpClient } from './http-client.js';
import type { Population } from './population.js';
import type { ScaleWorkload } from './workload.js';

/** The kinds of request of the soak, each drawn with its weight. */
export type SoakRequest = 'get' | 'event' | 'list' | 'history' | 'buy' | 'cancel';

const WEIGHTS: Readonly<Record<SoakRequest, number>> = { get: 45, event: 25, list: 15, history: 8, buy: 4, cancel: 3 };

/**
 * A steady mix of what a service of this kind answers all day: reads of random
 * subscriptions by their tenants, seat changes, tenants' first pages and histories, new
 * purchases taken through the publisher's portal to activation (an invoice and a charge
 * each), and cancellations.
 */
export class SoakMix {
  readonly counts: Record<SoakRequest, number> = { get: 0, event: 0, list: 0, history: 0, buy: 0, cancel: 0 };
  readonly #total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);

  constructor(
    private readonly client: HttpClient,
    private readonly population: Population,
    private readonly workload: ScaleWorkload,
    private readonly random: () => number,
  ) {}

  /** Draws a kind of request and sends it; throws on any unexpected answer. */
  async next(): Promise<void> {
    const kind = this.draw();
    await this.send(kind);
    this.counts[kind]++;
  }

  private draw(): SoakRequest {
    let x = this.random() * this.#total;
    for (const [kind, weight] of Object.entries(WEIGHTS) as [SoakRequest, number][]) {
      x -= weight;
      if (x < 0) return kind;
    }
    return 'get';
  }

  private async send(kind: SoakRequest): Promise<void> {
    const tenant = Math.floor(this.random() * this.population.tenants);
    const token = this.population.adminToken(tenant);
    switch (kind) {
      case 'get':
      case 'event':
        return this.workload.run(kind);
      case 'list':
        await this.client.expect(200, 'GET', '/api/subscriptions', token);
        return;
      case 'history':
        await this.workload.withSubscription(async (_n, id, owner) => {
          await this.client.expect(200, 'GET', `/api/subscriptions/${id}/history`, owner);
          return true;
        });
        return;
      case 'buy':
        return this.buyAndActivate(tenant, token);
      case 'cancel':
        return this.workload.withSubscription(async (_n, id, owner) => {
          await this.client.expect(200, 'POST', `/api/subscriptions/${id}/events`, owner, { type: 'CANCEL', reason: 'soak' });
          return false;
        });
    }
  }

  private async buyAndActivate(tenant: number, token: string): Promise<void> {
    const { template } = this.population;
    const purchase = await this.client.expect<{ subscriptionIds: string[] }>(201, 'POST', '/api/purchases', token, {
      channel: 'direct',
      source: 'appsource',
      appId: template.appId,
      planId: template.planId,
      quantity: 5,
      billingProfileId: this.population.billingProfileId(tenant),
      acceptAgreement: true,
    });
    const events = `/api/subscriptions/${purchase.subscriptionIds[0]!}/events`;
    const opened = await this.client.expect<{ handoff: { token: string } }>(200, 'POST', events, token, { type: 'OPEN_PUBLISHER_PORTAL' });
    await this.client.expect(200, 'POST', '/api/publisher/resolve', template.publisherToken, { token: opened.handoff.token });
    await this.client.expect(200, 'POST', events, template.publisherToken, { type: 'ACTIVATE' });
  }
}
