import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { TOKEN_LIFETIME_MS, activationMachine } from '../../machines/activation.machine.js';
import type { ActivationEvent } from '../../machines/activation.machine.js';
import { refusalOf } from '../../machines/refusal.js';
import { MACHINES } from '../../machines/registry.js';
import { addMs } from '../../machines/time.js';
import { T0, activationInput, after } from './support/fixtures.js';
import { effectsOf, sendAll } from './support/steps.js';

const entry = MACHINES.activation;
const idle = () => initialTransition(activationMachine, activationInput())[0];
const issue = (tokenHash: string, at = T0): ActivationEvent => ({ type: 'ISSUE_TOKEN', tokenHash, at });
const resolve = (tokenHash: string, at = after(T0, 0, 1)): ActivationEvent => ({ type: 'RESOLVE', tokenHash, at });
const send = (...events: ActivationEvent[]) => sendAll(activationMachine, idle(), ...events);

describe('activation handoff (SPEC §5)', () => {
  it('issues a token good for 24 hours and schedules its expiry', () => {
    const [issued, actions] = send(issue('h1'));
    expect(issued.value).toBe('tokenIssued');
    expect(issued.context).toMatchObject({ tokenHash: 'h1', tokenExpiresAt: addMs(T0, TOKEN_LIFETIME_MS), tokensIssued: 1 });
    expect(TOKEN_LIFETIME_MS).toBe(24 * 3600_000);
    expect(actions).toContainEqual(
      expect.objectContaining({ type: 'xstate.raise', params: { event: { type: 'TOKEN_EXPIRED', at: after(T0, 1) }, id: 'tokenExpiry', delay: TOKEN_LIFETIME_MS } }),
    );
  });

  it('goes back to idle when the token expires; the token then answers token_expired', () => {
    const [expired] = send(issue('h1'), { type: 'TOKEN_EXPIRED', at: after(T0, 1) });
    expect(expired.value).toBe('idle');
    expect(expired.context.tokenHash).toBeNull();
    expect(refusalOf(entry, expired, resolve('h1'))).toBe('token_expired');
  });

  it('replaces the token when the portal is opened again: the old one answers token_expired', () => {
    const [reissued, actions] = send(issue('h1'), issue('h2', after(T0, 0, 2)));
    expect(reissued.value).toBe('tokenIssued');
    expect(reissued.context).toMatchObject({ tokenHash: 'h2', tokenExpiresAt: after(T0, 1, 2), tokensIssued: 2 });
    // The old expiry is cancelled and a new one scheduled, in that order.
    expect(actions.map((action) => action.type)).toEqual(['xstate.cancel', 'xstate.raise']);
    expect(sendAll(activationMachine, reissued, resolve('h1'))[0]).toBe(reissued);
    expect(refusalOf(entry, reissued, resolve('h1'))).toBe('token_expired');
  });

  it('resolves the current token once and tells the subscription', () => {
    const at = after(T0, 0, 3);
    const [resolved, actions] = send(issue('h1'), resolve('h1', at));
    expect(resolved.value).toBe('resolved');
    expect(resolved.context).toMatchObject({ resolvedTokenHash: 'h1', resolvedAt: at, tokenHash: null, tokenExpiresAt: null });
    expect(effectsOf(actions, 'notifySubscription')).toEqual([{ kind: 'send', machine: 'subscription', id: 'sub_1', event: { type: 'HANDOFF_RESOLVED' }, optional: true }]);
    expect(actions).toContainEqual(expect.objectContaining({ type: 'xstate.cancel', params: { sendId: 'tokenExpiry' } }));
  });

  it('refuses a token past its 24 hours with token_expired, even before the expiry timer has fired', () => {
    const [issued] = send(issue('h1'));
    const lastMoment = addMs(T0, TOKEN_LIFETIME_MS - 1);
    expect(sendAll(activationMachine, issued, resolve('h1', lastMoment))[0].value).toBe('resolved');
    for (const late of [after(T0, 1), after(T0, 3)]) {
      expect(sendAll(activationMachine, issued, resolve('h1', late))[0]).toBe(issued);
      expect(refusalOf(entry, issued, resolve('h1', late))).toBe('token_expired');
    }
  });

  it('answers a second resolve of the same token with token_used', () => {
    const [resolved] = send(issue('h1'), resolve('h1'));
    expect(sendAll(activationMachine, resolved, resolve('h1'))[0]).toBe(resolved);
    expect(refusalOf(entry, resolved, resolve('h1'))).toBe('token_used');
  });

  it('still answers token_used for a resolved token after a fresh one is issued', () => {
    const [again] = send(issue('h1'), resolve('h1'), issue('h2'));
    expect(again.value).toBe('tokenIssued');
    expect(refusalOf(entry, again, resolve('h1'))).toBe('token_used');
    expect(sendAll(activationMachine, again, resolve('h2'))[0].context.resolvedTokenHash).toBe('h2');
  });

  it('answers an unknown token with token_expired', () => {
    const [issued] = send(issue('h1'));
    expect(refusalOf(entry, issued, resolve('nope'))).toBe('token_expired');
    expect(refusalOf(entry, idle(), resolve('nope'))).toBe('token_expired');
  });

  it.each([
    ['idle', []],
    ['tokenIssued', [issue('h1')]],
    ['resolved', [issue('h1'), resolve('h1')]],
  ] as const)('closes from %s, for good', (_state, before) => {
    const [closed] = send(...before, { type: 'CLOSE', at: after(T0, 0, 5) });
    expect(closed.value).toBe('closed');
    expect(closed.status).toBe('done');
    expect(sendAll(activationMachine, closed, issue('h9'))[0]).toBe(closed);
  });

  it('answers a token of a closed handoff by what it was: used or expired', () => {
    const [closed] = send(issue('h1'), resolve('h1'), issue('h2'), { type: 'CLOSE', at: after(T0, 0, 5) });
    expect(refusalOf(entry, closed, resolve('h1'))).toBe('token_used');
    expect(refusalOf(entry, closed, resolve('h2'))).toBe('token_expired');
  });
});
