import { describe, expect } from 'vitest';
import { DomainError } from '../../engine/errors.js';
import type { Principal } from '../../engine/principal.js';
import { loadVisibleProfile, requireUsableProfile, rolesOfCaller } from '../../server/billing-profiles.js';
import { principalOf } from '../../server/authenticate.js';
import { findPrincipal } from '../../storage/parties.repository.js';
import { createProfile, grant, otherTenant } from '../helpers/billing-profiles.js';
import { BACKENDS } from '../helpers/databases.js';
import { serverTest } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

// The helpers that purchases, subscriptions and invoices use for a profile id they are given.

async function principal(server: TestServer, id: string): Promise<Principal> {
  const row = await findPrincipal(server.database.db, id);
  if (!row) throw new Error(`no principal ${id}`);
  return principalOf(row);
}

/** The code of the DomainError that a promise rejects with, or 'ok'. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: billing-profile access helpers`, () => {
    test('requireUsableProfile: unknown or another tenant is 422 invalid_billing_profile; same tenant without owner or contributor is 403', async ({ server }) => {
      const ctx = server.service.ctx;
      const w = await createWorld(server);
      const other = await otherTenant(server);
      const profile = await createProfile(w.admin);
      const foreign = await createProfile(other.admin);
      const [admin, billingAdmin, user] = await Promise.all([w.admin, w.billingAdmin, w.user].map((c) => principal(server, c.id)));
      expect(await outcome(requireUsableProfile(ctx, admin!, w.tenant.id, 'bpr_unknown'))).toBe('invalid_billing_profile');
      expect(await outcome(requireUsableProfile(ctx, admin!, w.tenant.id, foreign.id))).toBe('invalid_billing_profile');
      // The profile is of the request's tenant or it is not usable, whoever holds roles on it.
      expect(await outcome(requireUsableProfile(ctx, await principal(server, other.admin.id), w.tenant.id, foreign.id))).toBe('invalid_billing_profile');
      expect(await outcome(requireUsableProfile(ctx, billingAdmin!, w.tenant.id, profile.id))).toBe('forbidden');
      for (const role of ['reader', 'invoice-manager']) {
        await grant(w.admin, profile.id, w.user.id, [role]);
        expect(await outcome(requireUsableProfile(ctx, user!, w.tenant.id, profile.id))).toBe('forbidden');
      }
      await grant(w.admin, profile.id, w.user.id, ['contributor']);
      expect((await requireUsableProfile(ctx, user!, w.tenant.id, profile.id)).id).toBe(profile.id);
      expect(await outcome(requireUsableProfile(ctx, admin!, w.tenant.id, profile.id))).toBe('ok');
    });

    test('loadVisibleProfile and rolesOfCaller: members and tenant admins see it with their roles, others get 404', async ({ server }) => {
      const ctx = server.service.ctx;
      const w = await createWorld(server);
      const other = await otherTenant(server);
      const profile = await createProfile(w.admin);
      const [admin, billingAdmin, user, publisher] = await Promise.all([w.admin, w.billingAdmin, w.user, w.publisher].map((c) => principal(server, c.id)));
      expect((await loadVisibleProfile(ctx, admin!, profile.id)).roles).toEqual(['owner']);
      expect((await loadVisibleProfile(ctx, billingAdmin!, profile.id)).roles).toEqual([]);
      expect(await outcome(loadVisibleProfile(ctx, user!, profile.id))).toBe('not_found');
      expect(await outcome(loadVisibleProfile(ctx, publisher!, profile.id))).toBe('not_found');
      expect(await outcome(loadVisibleProfile(ctx, await principal(server, other.admin.id), profile.id))).toBe('not_found');
      await grant(w.admin, profile.id, w.user.id, ['reader', 'invoice-manager']);
      expect(await rolesOfCaller(ctx, user!, profile.id)).toEqual(['reader', 'invoice-manager']);
      expect((await loadVisibleProfile(ctx, user!, profile.id)).row.id).toBe(profile.id);
      expect(await rolesOfCaller(ctx, publisher!, profile.id)).toEqual([]);
    });
  });
}
