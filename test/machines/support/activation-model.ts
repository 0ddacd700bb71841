import { expect } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import { TOKEN_LIFETIME_MS, activationMachine } from '../../../machines/activation.machine.js';
import type { ActivationEvent } from '../../../machines/activation.machine.js';
import { addMs } from '../../../machines/time.js';
import { activationInput } from './fixtures.js';
import type { MachineModel } from './model-runner.js';
import { dueTimers, timerOf } from './world.js';

type Snapshot = SnapshotFrom<typeof activationMachine>;

/** Portal visits are bounded so that the model stays finite. */
const MAX_TOKENS = 3;

const facts = ({ context }: Snapshot) => ({
  tokenHash: context.tokenHash,
  resolvedTokenHash: context.resolvedTokenHash,
  tokensIssued: context.tokensIssued,
});

/** The activation machine's model: portal visits (bounded), resolutions of the current token, expiry after 24 h, closing. */
export const activationModel: MachineModel<Snapshot, ReturnType<typeof facts>, ActivationEvent> = {
  machine: activationMachine,
  inputs: { handoff: activationInput() },
  facts,
  events: ({ facts, world }) => {
    const at = world.now;
    const events: ActivationEvent[] = [{ type: 'CLOSE', at }];
    if (facts.tokensIssued < MAX_TOKENS) events.push({ type: 'ISSUE_TOKEN', tokenHash: `hash-${facts.tokensIssued + 1}`, at });
    if (facts.tokenHash !== null) events.push({ type: 'RESOLVE', tokenHash: facts.tokenHash, at });
    return [...events, ...dueTimers(world).map((timer) => timer.event as ActivationEvent)];
  },
  timerEvents: ['TOKEN_EXPIRED'],
  invariants: {
    idle: ({ context }, world) => {
      expect(context.tokenHash).toBeNull();
      expect(context.tokenExpiresAt).toBeNull();
      expect(world.timers).toEqual([]);
    },
    tokenIssued: ({ context }, world) => {
      expect(context.tokenHash).toBe(`hash-${context.tokensIssued}`);
      // Good for 24 hours from its issue, which is now: requests and the issue share the clock.
      expect(context.tokenExpiresAt).toBe(addMs(world.now, TOKEN_LIFETIME_MS));
      expect(world.timers).toEqual([{ id: 'tokenExpiry', event: { type: 'TOKEN_EXPIRED', at: context.tokenExpiresAt } }]);
      expect(context.tokenHash).not.toBe(context.resolvedTokenHash);
    },
    resolved: ({ context }, world) => {
      expect(context.resolvedTokenHash).toMatch(/^hash-\d$/);
      expect(context.resolvedAt).toBe(world.now);
      expect(context.tokenHash).toBeNull();
      expect(timerOf(world, 'tokenExpiry')).toBeUndefined();
    },
    closed: (snapshot, world) => {
      expect(snapshot.status).toBe('done');
      expect(world.timers).toEqual([]);
    },
  },
  paths: 'shortest',
};
