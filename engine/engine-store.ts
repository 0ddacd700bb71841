import type { Changeset, TimerEntry } from './changeset.js';
import type { InstanceRecord } from './instance.js';

/**
 * What the engine needs from the database. `storage/` implements it; the engine holds no
 * SQL. `commit` writes several changesets in ONE transaction and throws
 * `StaleWriteError` when a guarded write finds the database moved on (another process
 * updated an instance, or fired a timer, first).
 */
export interface EngineStore {
  loadInstances(ids: readonly string[]): Promise<InstanceRecord[]>;
  /**
   * Make a changeset ready to write (serialise it) ahead of its commit. The engine calls
   * it as a unit is queued, while the transaction before is still open, so that a
   * commit does little but write.
   */
  prepare(changeset: Changeset): void;
  commit(changesets: readonly Changeset[]): Promise<void>;
  /**
   * Claim up to `limit` unfired timers due at or before `toMs`, earliest first, leased to
   * `claimant` until `leaseUntilMs`: free ones, and ones an earlier pass of the same
   * process left claimed, never ones this pass claimed already.
   */
  claimDueTimers(toMs: number, limit: number, claimant: TimerClaimant, nowMs: number, leaseUntilMs: number): Promise<TimerEntry[]>;
  /** Whether a timer is still waiting to fire (a retry after a conflict checks this). */
  isTimerPending(instanceId: string, timerId: string, dueMs: number): Promise<boolean>;
}

/** Who claims timers: a process (`owner`, unique to it), in one pass of its scheduler (numbered by it). */
export interface TimerClaimant {
  readonly owner: string;
  readonly pass: number;
}

/** A guarded write matched nothing: the database changed since the unit was computed. */
export class StaleWriteError extends Error {
  constructor(readonly what: string) {
    super(`stale write: ${what}`);
    this.name = 'StaleWriteError';
  }
}
