import { describe, expect, it } from 'vitest';
import { activationIdOf, invoiceIdOf } from '../../machines/ids.js';
import { addMs, delayUntil, timeOf } from '../../machines/time.js';
import { T0, after } from './support/fixtures.js';

describe('time from events', () => {
  it('reads an event’s time from `at`, or from the input of the event that starts an instance', () => {
    expect(timeOf({ type: 'X', at: T0 })).toBe(T0);
    expect(timeOf({ type: 'xstate.init', input: { at: T0 } })).toBe(T0);
  });

  it('refuses an event without its time', () => {
    expect(() => timeOf({ type: 'X' })).toThrow(TypeError);
    expect(() => timeOf({ type: 'X', at: 5 })).toThrow(TypeError);
  });

  it('counts a delay from the event’s time, and never below zero for a deadline already past', () => {
    expect(delayUntil(after(T0, 1), { at: T0 })).toBe(24 * 3600_000);
    expect(delayUntil(T0, { at: after(T0, 1) })).toBe(0);
    expect(addMs(T0, 1500)).toBe('2025-01-01T00:00:01.500Z');
  });
});

describe('ids of created instances', () => {
  it('derives them from the creator’s id, so that a replay names the same instances', () => {
    expect([activationIdOf('sub_abc'), invoiceIdOf('sub_abc', 3)]).toEqual(['act_abc', 'inv_abc_3']);
    expect([activationIdOf('plain'), invoiceIdOf('plain', 1)]).toEqual(['act_plain', 'inv_plain_1']);
  });
});
