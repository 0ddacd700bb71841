import type { LoadResult } from './http-load.js';
import type { HttpFixture } from './http-fixture.js';
import { generateLoad } from './load-process.js';
import type { ServerProcess } from './server-process.js';
import { BENCH_PLAN } from './subscriptions.js';
import type { Direction } from './workload.js';

/** How every load run of a benchmark is shaped. */
export interface LoadShape {
  readonly concurrency: number;
  readonly warmupSeconds: number;
  readonly seed: number;
}

/**
 * The subscriptions of one prepared database and their seat counts as the answers left
 * them, so that each run's changes are accepted by the state the previous runs left.
 */
export class HttpWorkload {
  private quantities: number[];
  private runs = 0;

  constructor(
    private readonly fixture: HttpFixture,
    private readonly shape: LoadShape,
  ) {
    // createActiveSubscriptions buys every subscription at the plan's maximum.
    this.quantities = fixture.ids.map(() => BENCH_PLAN.maxQuantity);
  }

  /**
   * CHANGE_QUANTITY in one direction on `servers` for the warm-up and then `seconds`. The
   * bare handler changes nothing, so its runs (`applied` false) leave the counts as they were.
   */
  async change(servers: readonly ServerProcess[], direction: Direction, seconds: number, applied: boolean): Promise<LoadResult> {
    const plan = this.plan(servers, direction);
    // The bare handler's bodies need only be alike: from the far end, it never runs out of room.
    if (!applied) plan.quantities.fill(direction === 'decrease' ? BENCH_PLAN.maxQuantity : BENCH_PLAN.minQuantity);
    const result = await generateLoad({ ...plan, kind: 'change', seconds, warmupSeconds: this.shape.warmupSeconds });
    if (applied) this.quantities = result.quantities;
    return result;
  }

  /** GET of every subscription once, so that a server caching snapshots holds them all. */
  read(servers: readonly ServerProcess[]): Promise<LoadResult> {
    return generateLoad({ ...this.plan(servers, 'decrease'), kind: 'read', seconds: 0, warmupSeconds: 0 });
  }

  private plan(servers: readonly ServerProcess[], direction: Direction) {
    return {
      targets: servers.map((s) => s.url),
      serverPids: servers.map((s) => s.pid),
      token: this.fixture.token,
      ids: this.fixture.ids,
      quantities: [...this.quantities],
      limits: { min: BENCH_PLAN.minQuantity, max: BENCH_PLAN.maxQuantity },
      direction,
      concurrency: this.shape.concurrency,
      // A new seed per run: the same run of the same benchmark picks the same subscriptions.
      seed: this.shape.seed * 1000 + this.runs++,
    };
  }
}
