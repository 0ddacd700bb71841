import { initialTransition, transition } from 'xstate';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { money } from '../../../machines/money.js';
import { MACHINES, MACHINE_NAMES } from '../../../machines/registry.js';
import { subscriptionMachine } from '../../../machines/subscription.machine.js';
import type { SubscriptionInput } from '../../../machines/subscription.machine.js';
import { STATE_STYLE } from '../../../web/diagram/dot.js';
import { activeStateIds, renderMachineSvg } from '../../../web/diagram/render-svg.js';

function stateIds(machine: AnyStateMachine): string[] {
  const walk = (node: AnyStateNode): string[] => [node.id, ...Object.values(node.states as Record<string, AnyStateNode>).flatMap(walk)];
  return walk(machine.root);
}

/** Every word of visible text in an SVG. */
function words(svg: string): Set<string> {
  const text = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '').join(' ');
  return new Set(text.split(/[^A-Za-z0-9_]+/));
}

/** The `class` and body of the SVG group with the given id. */
function group(svg: string, id: string): { className: string; body: string } | undefined {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<g id="${escaped}" class="([^"]*)"[^>]*>([\\s\\S]*?)</g>`).exec(svg);
  return match ? { className: match[1] ?? '', body: match[2] ?? '' } : undefined;
}

for (const name of MACHINE_NAMES) {
  describe(`${name}: SVG diagram`, () => {
    const { machine, events } = MACHINES[name];

    it('shows every state and every event type', async () => {
      const svg = await renderMachineSvg(machine);
      const shown = words(svg);
      for (const id of stateIds(machine)) {
        // The root is the canvas, whose group carries the machine id.
        expect(group(svg, id), id).toBeDefined();
        expect(shown, id).toContain(id.split('.').at(-1));
      }
      for (const event of events) expect(shown, event).toContain(event);
    });

    it('is byte-identical on every render', async () => {
      const first = await renderMachineSvg(machine);
      await renderMachineSvg(MACHINES.subscription.machine, ['subscription.active']);
      expect(await renderMachineSvg(machine)).toBe(first);
    });
  });
}

describe('SVG diagram: highlighting', () => {
  const at = '2025-01-31T10:00:00.000Z';
  const input: SubscriptionInput = {
    id: 'sub_1',
    tenantId: 'ten_1',
    appId: 'app_1',
    planId: 'plan_1',
    publisherId: 'pub_1',
    purchaseId: 'pur_1',
    channel: 'direct',
    plan: {
      appName: 'App',
      planName: 'Team',
      pricingModel: 'per-license',
      billingTerm: 'P1M',
      price: money(1000, 'EUR'),
      minQuantity: 1,
      maxQuantity: 10,
    },
    quantity: 3,
    billingProfileId: 'bp_1',
    replaces: null,
    at,
  };

  function pastDueSnapshot() {
    let [snapshot] = initialTransition(subscriptionMachine, input);
    for (const event of [
      { type: 'HANDOFF_RESOLVED', at },
      { type: 'ACTIVATE', at },
      { type: 'INVOICE_OVERDUE', invoiceId: 'inv_1_1', at },
    ] as const) {
      [snapshot] = transition(subscriptionMachine, snapshot, event);
    }
    return snapshot;
  }

  it('lists the active states of a snapshot with their ancestors', () => {
    expect(activeStateIds(pastDueSnapshot()).sort()).toEqual([
      'subscription',
      'subscription.active',
      'subscription.active.billing',
      'subscription.active.billing.pastDue',
    ]);
  });

  it('marks exactly the active states, with the active fill and border', async () => {
    const svg = await renderMachineSvg(subscriptionMachine, activeStateIds(pastDueSnapshot()));
    const active = new Set(['subscription.active', 'subscription.active.billing', 'subscription.active.billing.pastDue']);
    for (const id of stateIds(subscriptionMachine).slice(1)) {
      const g = group(svg, id);
      const isActive = active.has(id);
      expect(g?.className.split(' ').includes('active'), id).toBe(isActive);
      const shape = /<(?:path|polygon) fill="([^"]+)" stroke="([^"]+)" stroke-width="([^"]+)"/.exec(g?.body ?? '');
      const style = isActive ? STATE_STYLE.active : STATE_STYLE.inactive;
      expect([style.fill, style.clusterFill], id).toContain(shape?.[1]);
      expect(shape?.slice(2), id).toEqual([style.border, String(style.penwidth)]);
    }
  });

  it('draws nothing as active without active states', async () => {
    const svg = await renderMachineSvg(subscriptionMachine);
    expect(svg).not.toMatch(/class="[^"]*\bactive\b/);
    expect(svg).not.toContain(STATE_STYLE.active.border);
  });
});

describe('SVG diagrams, kept', () => {
  it('lays each machine and highlighted set out once, whatever the order of the ids', async () => {
    const ids = ['subscription.active', 'subscription.active.billing.current'];
    const first = renderMachineSvg(subscriptionMachine, ids);
    expect(renderMachineSvg(subscriptionMachine, [...ids].reverse())).toBe(first);
    expect(renderMachineSvg(subscriptionMachine, [])).not.toBe(first);
    expect(await renderMachineSvg(subscriptionMachine, [])).not.toEqual(await first);
  });
});
