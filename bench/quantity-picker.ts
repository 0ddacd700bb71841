import type { Direction } from './workload.js';

/** The next CHANGE_QUANTITY to send. */
export interface QuantityPick {
  readonly index: number;
  readonly quantity: number;
}

const FREE = 0;
const IN_FLIGHT = 1;
// A request that got no answer may or may not have committed: its subscription's count is unknown.
const UNKNOWN = 2;

// Random draws before the picker looks at every subscription for one with room.
const DRAWS = 64;

/**
 * Picks random subscriptions and a quantity one seat away, in one direction, so that every
 * event is accepted: a subscription at the plan's limit is passed over, and so is one whose
 * previous event has not been answered yet. Two events in flight for one subscription
 * could commit in either order, and the second of them could then be a change the other
 * way (an increase issues an invoice) or, after a wrap, no change at all.
 */
export class QuantityPicker {
  private readonly state: Uint8Array;

  constructor(
    private readonly quantities: number[],
    private readonly direction: Direction,
    private readonly limits: { readonly min: number; readonly max: number },
    private readonly random: () => number,
  ) {
    this.state = new Uint8Array(quantities.length);
  }

  /** The next change, marked in flight; undefined when no subscription has room left. */
  next(): QuantityPick | undefined {
    const n = this.quantities.length;
    for (let draw = 0; draw < DRAWS; draw++) {
      const pick = this.tryPick(Math.floor(this.random() * n));
      if (pick) return pick;
    }
    // Nearly everything is at the limit or in flight: look at each once, from a random start.
    const start = Math.floor(this.random() * n);
    for (let i = 0; i < n; i++) {
      const pick = this.tryPick((start + i) % n);
      if (pick) return pick;
    }
    return undefined;
  }

  /** The answer to a pick: 2xx means the change is committed; no answer leaves it unknown. */
  answered(pick: QuantityPick, outcome: 'accepted' | 'refused' | 'unknown'): void {
    if (outcome === 'accepted') this.quantities[pick.index] = pick.quantity;
    this.state[pick.index] = outcome === 'unknown' ? UNKNOWN : FREE;
  }

  /** The seat counts as the answers left them. */
  current(): number[] {
    return this.quantities;
  }

  private tryPick(index: number): QuantityPick | undefined {
    if (this.state[index] !== FREE) return undefined;
    const quantity = this.quantities[index]! + (this.direction === 'decrease' ? -1 : 1);
    if (quantity < this.limits.min || quantity > this.limits.max) return undefined;
    this.state[index] = IN_FLIGHT;
    return { index, quantity };
  }
}
