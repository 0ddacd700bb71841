import type { HttpClient } from './http-client.js';
import type { Population } from './population.js';
import { PLAN_SEATS } from './template.js';

/** The three requests issue 7 measures at both sizes. */
export type Operation = 'get' | 'event' | 'list';

export const OPERATIONS: readonly Operation[] = ['get', 'event', 'list'];

/** What each operation is, for the report. */
export const OPERATION_LABELS: Readonly<Record<Operation, string>> = {
  get: 'GET /api/subscriptions/:id',
  event: 'POST …/events CHANGE_QUANTITY',
  list: "GET /api/subscriptions (a tenant's first page)",
};

/**
 * Requests against one population's service: a random subscription read by its tenant's
 * admin; an accepted CHANGE_QUANTITY on a random subscription, one seat up or down (an
 * increase also issues and charges a prorated invoice); the first page of the measured
 * tenant's list. Quantities are tracked here, the only writer, so every event is accepted.
 */
export class ScaleWorkload {
  readonly #quantities: Uint8Array;
  readonly #busy = new Set<number>();
  readonly #retired = new Set<number>();
  readonly #pageSize: number;

  constructor(
    private readonly client: HttpClient,
    private readonly population: Population,
    private readonly random: () => number,
  ) {
    this.#quantities = new Uint8Array(population.subscriptions - 1).fill(PLAN_SEATS.start);
    this.#pageSize = Math.min(50, population.perTenant);
  }

  /** Sends one request of the operation; throws on any unexpected answer. */
  run(operation: Operation): Promise<void> {
    switch (operation) {
      case 'get':
        return this.get(this.pick());
      case 'event':
        return this.changeQuantity();
      case 'list':
        return this.listFirstPage();
    }
  }

  /** Reads clone `n` as its tenant's admin. */
  async get(n: number): Promise<void> {
    const id = this.population.subscriptionId(n);
    const view = await this.client.expect<{ id: string }>(200, 'GET', `/api/subscriptions/${id}`, this.tokenOf(n));
    if (view.id !== id) throw new Error(`GET ${id} answered ${view.id}`);
  }

  /** A random clone number. */
  pick(): number {
    return Math.floor(this.random() * this.#quantities.length);
  }

  /**
   * Runs `change` on a random clone that takes events and has none under way (two changes
   * of one subscription at once would both start from the same count); `change` returns
   * whether the clone still takes events afterwards.
   */
  async withSubscription(change: (n: number, id: string, token: string) => Promise<boolean>): Promise<void> {
    let n = this.pick();
    while (this.#busy.has(n) || this.#retired.has(n)) n = this.pick();
    this.#busy.add(n);
    try {
      if (!(await change(n, this.population.subscriptionId(n), this.tokenOf(n)))) this.#retired.add(n);
    } finally {
      this.#busy.delete(n);
    }
  }

  private changeQuantity(): Promise<void> {
    return this.withSubscription(async (n, id, token) => {
      const current = this.#quantities[n]!;
      let quantity = this.random() < 0.5 ? current - 1 : current + 1;
      if (quantity < PLAN_SEATS.min || quantity > PLAN_SEATS.max) quantity = 2 * current - quantity;
      const view = await this.client.expect<{ quantity: number }>(200, 'POST', `/api/subscriptions/${id}/events`, token, { type: 'CHANGE_QUANTITY', quantity });
      if (view.quantity !== quantity) throw new Error(`CHANGE_QUANTITY ${id} to ${quantity} left it at ${view.quantity}`);
      this.#quantities[n] = quantity;
      return true;
    });
  }

  private async listFirstPage(): Promise<void> {
    // Tenant 0 holds exactly `perTenant` subscriptions at every size.
    const page = await this.client.expect<{ items: unknown[] }>(200, 'GET', '/api/subscriptions', this.population.adminToken(0));
    if (page.items.length !== this.#pageSize) throw new Error(`the first page held ${page.items.length} subscriptions, not ${this.#pageSize}`);
  }

  private tokenOf(n: number): string {
    return this.population.adminToken(this.population.tenantOf(n));
  }
}
