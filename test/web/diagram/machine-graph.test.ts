import { and, createMachine, not, raise } from 'xstate';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { MACHINES, MACHINE_NAMES } from '../../../machines/registry.js';
import { machineGraph } from '../../../web/diagram/machine-graph.js';
import type { GraphEdge, MachineGraph } from '../../../web/diagram/machine-graph.js';

// Walks the definition on its own, so that a state the graph builder skips is noticed.
function stateIds(machine: AnyStateMachine): string[] {
  const walk = (node: AnyStateNode): string[] => [node.id, ...Object.values(node.states as Record<string, AnyStateNode>).flatMap(walk)];
  return walk(machine.root);
}

function edge(graph: MachineGraph, source: string, event: string | null, order = 0): GraphEdge {
  const found = graph.edges.find((e) => e.source === source && e.event === event && e.order === order);
  if (found === undefined) throw new Error(`no ${event ?? 'always'} #${order} transition from ${source}`);
  return found;
}

for (const name of MACHINE_NAMES) {
  describe(`${name}: machine graph`, () => {
    const { machine, events } = MACHINES[name];
    const graph = machineGraph(machine);

    it('has a node for every state, each with its parent', () => {
      expect(graph.nodes.map((node) => node.id).sort()).toEqual(stateIds(machine).sort());
      const ids = new Set(graph.nodes.map((node) => node.id));
      for (const node of graph.nodes) if (node.parent !== null) expect(ids).toContain(node.parent);
      expect(graph.nodes.filter((node) => node.parent === null).map((node) => node.id)).toEqual([graph.id]);
    });

    it('has a transition for every event type the machine handles', () => {
      const handled = new Set(graph.edges.map((e) => e.event));
      for (const event of events) expect(handled, event).toContain(event);
    });

    it('has edges only between known states, with unique ids', () => {
      const ids = new Set(graph.nodes.map((node) => node.id));
      for (const e of graph.edges) for (const id of [e.source, ...e.targets]) expect(ids).toContain(id);
      expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
    });

    it('survives a JSON round trip unchanged', () => {
      expect(JSON.parse(JSON.stringify(graph))).toStrictEqual(graph);
    });

    it('is the same on every build', () => {
      expect(machineGraph(machine)).toStrictEqual(graph);
    });
  });
}

describe('machine graph: transitions and actions', () => {
  const subscription = machineGraph(MACHINES.subscription.machine);

  it('keeps targetless transitions, with their guard and actions', () => {
    expect(edge(subscription, 'subscription.active', 'ASSIGN_LICENSES')).toMatchObject({
      targets: [],
      guard: 'canAssignLicenses',
      actions: ['assignLicenses'],
    });
  });

  it('keeps candidates for one event in the order they are tried', () => {
    expect(edge(subscription, 'subscription.active', 'TERM_ENDED', 0)).toMatchObject({ guard: 'canRenew', targets: [] });
    expect(edge(subscription, 'subscription.active', 'TERM_ENDED', 1)).toMatchObject({ guard: 'isTermOver', targets: ['subscription.deactivated'] });
  });

  it('names built-in actions after what they raise or cancel', () => {
    const pastDue = subscription.nodes.find((node) => node.id === 'subscription.active.billing.pastDue');
    expect(pastDue).toMatchObject({ entry: ['startGracePeriod', 'scheduleGracePeriodEnd'], exit: ['cancel(gracePeriodEnd)', 'endGracePeriod'] });
    const inline = createMachine({ id: 'm', initial: 'a', states: { a: { entry: raise({ type: 'X' }, { id: 'tick', delay: 5 }) } } });
    expect(machineGraph(inline).nodes[1]?.entry).toEqual(['raise(tick)']);
  });

  it('names guard combinators after their operands and inline functions as inline', () => {
    const combined = createMachine({
      id: 'g',
      initial: 'a',
      states: { a: { on: { GO: { guard: and(['isReady', not('isBusy')]), target: 'b', actions: () => {} } } }, b: {} },
    });
    expect(machineGraph(combined).edges).toMatchObject([{ guard: 'and(isReady, not(isBusy))', actions: ['inline'] }]);
  });

  it('names parameterised actions by their type', () => {
    expect(edge(subscription, 'subscription.pendingActivation', 'ACTIVATE').actions).toEqual([
      'startFirstTerm',
      'scheduleTermEnd',
      'numberNextInvoice',
      'issueInvoice',
      'notifyPublisher',
    ]);
  });

  it('records eventless transitions with a null event', () => {
    const purchase = machineGraph(MACHINES.purchase.machine);
    expect(edge(purchase, 'purchase.awaitingAgreement', null)).toMatchObject({ guard: 'isDirect', targets: ['purchase.placed'] });
  });

  it('records the initial child of compound states and the type of each state', () => {
    const byId = new Map(subscription.nodes.map((node) => [node.id, node]));
    expect(byId.get('subscription')).toMatchObject({ type: 'compound', initial: 'subscription.pendingActivation', entry: ['createHandoff'] });
    expect(byId.get('subscription.active.billing')).toMatchObject({ initial: 'subscription.active.billing.current' });
    expect(byId.get('subscription.deactivated')).toMatchObject({ type: 'final', initial: null });
  });

  it('hides the raise and cancel XState adds for delayed transitions', () => {
    const delayed = createMachine({ id: 'd', initial: 'a', states: { a: { after: { 1000: 'b' } }, b: {} } });
    const graph = machineGraph(delayed);
    expect(graph.nodes[1]).toMatchObject({ entry: [], exit: [] });
    expect(graph.edges).toMatchObject([{ source: 'd.a', event: 'xstate.after.1000.d.a', targets: ['d.b'] }]);
  });
});
