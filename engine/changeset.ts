import type { InstanceRecord } from './instance.js';

/** One accepted event of one instance, as the journal keeps it. */
export interface JournalEntry {
  readonly instanceId: string;
  readonly seq: number;
  readonly event: Readonly<Record<string, unknown>>;
  readonly principalId: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly at: string;
}

/** A deadline: `event` is sent to the instance at `dueMs`. Keyed by instance and timer id. */
export interface TimerEntry {
  readonly instanceId: string;
  readonly timerId: string;
  readonly event: Readonly<Record<string, unknown>>;
  readonly dueMs: number;
}

/** Work that runs after the commit: a webhook to deliver, a card to charge. */
export interface OutboxEntry {
  readonly id: string;
  readonly kind: 'webhook' | 'charge';
  readonly instanceId: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/** Everything one unit of work writes, in one transaction. */
export interface Changeset {
  readonly created: InstanceRecord[];
  /**
   * Updated records with the version each must still have in the database, and the record
   * as it was before the unit (what decides which of its index columns must be rewritten).
   */
  readonly updated: { record: InstanceRecord; expectedVersion: number; readonly previous: InstanceRecord }[];
  readonly journal: JournalEntry[];
  readonly timersSet: TimerEntry[];
  readonly timersCleared: { instanceId: string; timerId: string }[];
  readonly timersFired: { instanceId: string; timerId: string; firedAt: string }[];
  readonly outbox: OutboxEntry[];
}

/** An empty changeset. */
export function emptyChangeset(): Changeset {
  return { created: [], updated: [], journal: [], timersSet: [], timersCleared: [], timersFired: [], outbox: [] };
}
