import { describe, expect } from 'vitest';
import { findBillingProfiles } from '../../storage/billing-profiles.repository.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';

const AT = '2025-01-01T00:00:00.000Z';

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: billing profiles read by ids`, () => {
    test('the profiles that exist, each once, whatever is asked twice or unknown', async ({ database }) => {
      await database.db.insertInto('tenants').values({ id: 't1', name: 'Contoso', country: 'FR', created_at: AT }).execute();
      const profile = (id: string) => ({ id, tenant_id: 't1', name: id, payment_method: '{"type":"check-wire"}', contact: '{}', created_at: AT });
      await database.db.insertInto('billing_profiles').values([profile('bp1'), profile('bp2'), profile('bp3')]).execute();
      const rows = await findBillingProfiles(database.db, ['bp3', 'bp1', 'bp_missing', 'bp1']);
      expect(rows.map((r) => r.id).sort()).toEqual(['bp1', 'bp3']);
      expect(rows.find((r) => r.id === 'bp3')).toEqual(profile('bp3'));
    });

    test('no ids read nothing', async ({ database }) => {
      expect(await findBillingProfiles(database.db, [])).toEqual([]);
    });
  });
}
