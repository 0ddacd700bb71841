import type { Response } from 'express';
import type { Principal } from '../engine/principal.js';
import type { InstanceRecord } from '../engine/instance.js';
import { purchaseView, subscriptionView } from '../engine/views.js';
import { MACHINES, allowedEvents } from '../machines/index.js';
import type { AccessKey } from './access.js';
import { accessKeyFor, mayAccess } from './access.js';

const EVENT_ROUTES: Partial<Record<InstanceRecord['machine'], AccessKey>> = {
  subscription: 'POST /api/subscriptions/:id/events',
  purchase: 'POST /api/purchases/:id/events',
};

/** The events the instance's state accepts that this caller may send. */
export function allowedEventsFor(principal: Principal, record: InstanceRecord): string[] {
  const entry = MACHINES[record.machine];
  // From the persisted snapshot: a record just read (a page of a list, a cache miss) is not restored for its view.
  return sendableBy(principal, record.machine, allowedEvents(entry, record.persisted, entry.clientEvents));
}

/**
 * Of a machine's event types, those this caller may send through the API: none for a
 * machine that takes no events from clients (an invoice is paid through its own routes).
 */
export function sendableBy(principal: Principal, machine: string, types: readonly string[]): string[] {
  const route = EVENT_ROUTES[machine as InstanceRecord['machine']];
  if (!route) return [];
  return types.filter((type) => {
    const key = accessKeyFor(route, type);
    return key !== undefined && mayAccess(principal, key);
  });
}

/** The subscription view of API.md for this caller. */
export function subscriptionViewFor(principal: Principal, record: InstanceRecord) {
  return { ...subscriptionView(record), allowedEvents: allowedEventsFor(principal, record) };
}

/** The purchase view of API.md for this caller. */
export function purchaseViewFor(principal: Principal, record: InstanceRecord) {
  return { ...purchaseView(record), allowedEvents: allowedEventsFor(principal, record) };
}

/** Answer with a machine-backed resource: its view and `ETag: "<version>"`. */
export function sendVersioned(res: Response, status: number, record: InstanceRecord, view: object): void {
  // The ETag names the version, but the view is the caller's (allowedEvents differ by
  // principal): without Vary a browser that read the view with one token revalidates it
  // with another, gets 304 for the same version, and shows the first caller's actions.
  res.status(status).set({ ETag: `"${record.version}"`, 'Cache-Control': 'private, no-cache' }).vary('Authorization').json(view);
}

/** The version an `If-Match` header asks for, if any. */
export function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(ifMatch);
  // An If-Match that names no version of ours can never match.
  return match ? Number(match[1]) : -1;
}
