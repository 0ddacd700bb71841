import { describe, expect, test } from 'vitest';
import { ACCESS } from '../../server/access.js';
import type { AccessKey, Audience } from '../../server/access.js';

/**
 * Who may do what, transcribed from API.md's "who" columns by hand, not from the table
 * the server enforces: the HTTP walk (authorization.test.ts) proves the server keeps to
 * ACCESS, and this proves ACCESS says what the contract says. A row changed in ACCESS
 * alone fails here.
 */
const API_MD: Partial<Record<AccessKey, readonly Audience[]>> = {
  // Subscriptions, "Events": by event.
  'POST /api/subscriptions/:id/events OPEN_PUBLISHER_PORTAL': ['tenant-admin'],
  'POST /api/subscriptions/:id/events ACTIVATE': ['publisher'],
  'POST /api/subscriptions/:id/events ASSIGN_LICENSES': ['publisher'],
  'POST /api/subscriptions/:id/events UNASSIGN_LICENSES': ['publisher'],
  'POST /api/subscriptions/:id/events CHANGE_QUANTITY': ['tenant-admin'],
  'POST /api/subscriptions/:id/events CHANGE_BILLING_PROFILE': ['tenant-admin'],
  'POST /api/subscriptions/:id/events SET_AUTO_RENEW': ['tenant-admin'],
  'POST /api/subscriptions/:id/events CANCEL': ['tenant-admin'],
  // Subscriptions, routes.
  'GET /api/subscriptions': ['tenant-user', 'publisher', 'partner'],
  'GET /api/subscriptions/:id': ['tenant-user', 'publisher', 'partner'],
  'GET /api/subscriptions/:id/history': ['tenant-admin', 'publisher'],
  'GET /api/subscriptions/:id/licenses': ['tenant-admin', 'publisher'],
  'GET /api/subscriptions/:id/invoices': ['tenant-admin'],
  'POST /api/publisher/resolve': ['publisher'],
  // Purchases: by channel, and "POST /api/purchases/:id/events by a tenant admin".
  'POST /api/purchases channel=direct': ['tenant-admin'],
  'POST /api/purchases channel=partner': ['partner'],
  'POST /api/purchases channel=proposal': ['sales'],
  'POST /api/purchases/:id/events ACCEPT': ['tenant-admin'],
  'POST /api/purchases/:id/events DECLINE': ['tenant-admin'],
  // Tenant and billing profiles.
  'POST /api/tenant/agreement': ['tenant-admin'],
  'POST /api/billing-profiles': ['tenant-admin'],
  // Invoices: paid by the operator's recorded payments or a billing member's pay.
  'POST /api/invoices/:id/payments': ['operator'],
  // Operator.
  'POST /api/operator/tenants': ['operator'],
  'POST /api/operator/publishers': ['operator'],
  'POST /api/operator/partners': ['operator'],
  'POST /api/operator/principals': ['operator'],
  'POST /api/clock/advance': ['operator'],
};

describe('the authorization table says what API.md says', () => {
  test.each(Object.entries(API_MD))('%s', (key, audiences) => {
    expect([...ACCESS[key as AccessKey]].sort()).toEqual([...audiences].sort());
  });
});
