import type { AnyMachineSnapshot } from 'xstate';
import { initialTransition, transition } from 'xstate';
import type { MachineName } from '../machines/index.js';
import { MACHINES } from '../machines/index.js';
import type { JournalEntry } from './changeset.js';
import type { PersistedSnapshot } from './instance.js';

/**
 * Rebuild an instance's snapshot from its journal alone (SPEC §9): entry 1 holds the
 * input it was created with, every later entry an accepted event with its time.
 */
export function replay(machine: MachineName, journal: readonly Pick<JournalEntry, 'seq' | 'event'>[]): PersistedSnapshot {
  const logic = MACHINES[machine].machine;
  let snapshot: AnyMachineSnapshot | undefined;
  for (const [index, entry] of journal.entries()) {
    if (entry.seq !== index + 1) throw new Error(`journal gap: expected seq ${index + 1}, found ${entry.seq}`);
    const event = entry.event as { type: string; input?: unknown };
    if (index === 0) {
      if (event.type !== 'xstate.init') throw new Error('journal entry 1 must be the creation');
      [snapshot] = initialTransition(logic, event.input as never);
    } else {
      [snapshot] = transition(logic, snapshot!, event as never);
    }
  }
  if (!snapshot) throw new Error('empty journal');
  return logic.getPersistedSnapshot(snapshot) as unknown as PersistedSnapshot;
}
