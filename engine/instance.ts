import type { AnyMachineSnapshot } from 'xstate';
import type { MachineName } from '../machines/index.js';
import { MACHINES } from '../machines/index.js';

/** A durable machine instance as the engine holds it. */
export interface InstanceRecord {
  readonly id: string;
  readonly machine: MachineName;
  /** Equals the number of journal entries: 1 after creation. */
  readonly version: number;
  /** The persisted XState snapshot (`getPersistedSnapshot`), plain JSON. */
  readonly persisted: PersistedSnapshot;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What XState's getPersistedSnapshot returns, as plain JSON. */
export interface PersistedSnapshot {
  readonly status: string;
  readonly value: unknown;
  readonly context: Record<string, unknown>;
  readonly [key: string]: unknown;
}

const restored = new WeakMap<PersistedSnapshot, AnyMachineSnapshot>();

/** The live XState snapshot of a record, rebuilt once per persisted object. */
export function snapshotOf(record: InstanceRecord): AnyMachineSnapshot {
  let snapshot = restored.get(record.persisted);
  if (!snapshot) {
    snapshot = MACHINES[record.machine].machine.resolveState(record.persisted as never) as AnyMachineSnapshot;
    restored.set(record.persisted, snapshot);
  }
  return snapshot;
}

/** Persist a live snapshot, remembering the live one so it need not be rebuilt. */
export function persist(machine: MachineName, snapshot: AnyMachineSnapshot): PersistedSnapshot {
  const persisted = MACHINES[machine].machine.getPersistedSnapshot(snapshot) as unknown as PersistedSnapshot;
  restored.set(persisted, snapshot);
  return persisted;
}

/** The top-level state name, e.g. `active` for `{ active: { billing: 'current' } }`. */
export function statusOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const [first] = Object.keys(value as object);
  return first ?? '';
}
