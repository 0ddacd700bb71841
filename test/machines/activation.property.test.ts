import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { activationMachine } from '../../machines/activation.machine.js';
import type { ActivationContext } from '../../machines/activation.machine.js';
import { drive, expectRefusalContract, persistedJson, rawEvent } from './support/drive.js';
import { activationInput } from './support/fixtures.js';
import { effectsOf } from './support/steps.js';

const hashes = fc.constantFrom('h1', 'h2', 'h3');
const activationEvent: fc.Arbitrary<EventObject> = fc.oneof(
  fc.record({ type: fc.constantFrom('ISSUE_TOKEN', 'RESOLVE'), tokenHash: hashes }),
  fc.constantFrom({ type: 'TOKEN_EXPIRED' }, { type: 'CLOSE' }),
);
const sequences = fc.array(rawEvent(activationEvent, 30 * 3600_000), { maxLength: 15 });
const dueTime = (snapshot: AnyMachineSnapshot, type: string) => (type === 'TOKEN_EXPIRED' ? (snapshot.context as ActivationContext).tokenExpiresAt : null);

describe('activation under random event sequences', () => {
  it('holds a live token exactly while tokenIssued, resolves only that token before it expires, and nothing after closed', () => {
    fc.assert(
      fc.property(sequences, (raws) => {
        for (const step of drive(activationMachine, activationInput(), raws, dueTime).steps) {
          expectRefusalContract(step);
          const before = step.before.context as ActivationContext;
          const after = step.after.context as ActivationContext;
          // A closed handoff keeps what it held; it resolves nothing any more.
          if (step.after.value !== 'closed') {
            expect(after.tokenHash !== null).toBe(step.after.value === 'tokenIssued');
            expect(after.tokenExpiresAt !== null).toBe(step.after.value === 'tokenIssued');
          }
          if (step.accepted && step.event.type === 'RESOLVE') {
            expect((step.event as unknown as { tokenHash: string }).tokenHash).toBe(before.tokenHash);
            expect(step.event.at < (before.tokenExpiresAt ?? '')).toBe(true);
            expect(effectsOf(step.actions, 'notifySubscription')).toHaveLength(1);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same persisted snapshots for the same input and events', () => {
    fc.assert(
      fc.property(sequences, (raws) => {
        const json = persistedJson(activationMachine, drive(activationMachine, activationInput(), raws, dueTime));
        expect(persistedJson(activationMachine, drive(activationMachine, activationInput(), raws, dueTime))).toEqual(json);
      }),
      { numRuns: 200 },
    );
  });
});
