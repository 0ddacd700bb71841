import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { MACHINES } from '../../../machines/registry.js';
import { machineDot } from '../../../web/diagram/dot.js';
import { machineGraph } from '../../../web/diagram/machine-graph.js';

describe('machine DOT', () => {
  const graph = machineGraph(MACHINES.subscription.machine);
  const dot = machineDot(graph);

  it('draws compound states as clusters and final states double-bordered', () => {
    expect(dot).toContain('subgraph "cluster_subscription.active" {');
    expect(dot).toContain('subgraph "cluster_subscription.active.billing" {');
    expect(dot).toMatch(/"subscription\.deactivated" \[[^\n]*peripheries=2/);
  });

  it('marks the initial state of the machine and of each compound state', () => {
    expect(dot).toContain('"subscription/initial" -> "subscription.pendingActivation"');
    expect(dot).toContain('"subscription.active.billing/initial" -> "subscription.active.billing.current"');
  });

  it('labels edges EVENT [guard] / actions', () => {
    expect(dot).toMatch(/<B>TERM_ENDED<\/B> <FONT COLOR="[^"]+">\[isTermOver\]<\/FONT><BR ALIGN="LEFT"\/><FONT COLOR="[^"]+">\/ recordExpired/);
  });

  it('labels an unguarded candidate after a guarded one as else', () => {
    // None of the product's machines has one at present; a machine of two candidates does.
    const fork = setup({ guards: { ready: () => true } }).createMachine({
      id: 'fork',
      initial: 'idle',
      states: { idle: { on: { GO: [{ guard: 'ready', target: 'done' }, { target: 'waiting' }] } }, done: {}, waiting: {} },
    });
    const forkDot = machineDot(machineGraph(fork));
    expect(forkDot).toMatch(/<B>GO<\/B> <FONT COLOR="[^"]+">\[ready\]/);
    expect(forkDot).toMatch(/<B>GO<\/B> <FONT COLOR="[^"]+">\[else\]/);
  });

  it('highlights only the active states', () => {
    const active = machineDot(graph, new Set(['subscription', 'subscription.pendingActivation']));
    expect(active.match(/class="state [a-z]+ active"/g)).toHaveLength(1);
    expect(active).toMatch(/"subscription\.pendingActivation" \[id="subscription\.pendingActivation", class="state atomic active"/);
  });

  it('is the same for the same graph', () => {
    expect(machineDot(machineGraph(MACHINES.subscription.machine))).toBe(dot);
  });
});
