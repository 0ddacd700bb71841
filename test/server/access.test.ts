import { describe, expect, test } from 'vitest';
import type { Principal } from '../../engine/principal.js';
import { audiencesOf } from '../../server/access.js';

const principal = (kind: Principal['kind'], extra: Partial<Principal> = {}): Principal => ({
  id: 'prn_1',
  kind,
  name: 'someone',
  tenantId: null,
  roles: [],
  publisherId: null,
  partnerId: null,
  ...extra,
});

describe('access: audiences', () => {
  test('of each kind of principal', () => {
    const of = (p: Principal) => [...audiencesOf(p)].sort();
    expect(of(principal('operator'))).toEqual(['authenticated', 'operator']);
    expect(of(principal('user', { tenantId: 'ten_1' }))).toEqual(['authenticated', 'tenant-user']);
    expect(of(principal('user', { tenantId: 'ten_1', roles: ['billing-admin'] }))).toEqual(['authenticated', 'tenant-admin', 'tenant-user']);
    expect(of(principal('publisher', { publisherId: 'pub_1' }))).toEqual(['authenticated', 'publisher']);
    expect(of(principal('partner', { partnerId: 'ptn_1' }))).toEqual(['authenticated', 'partner']);
    expect(of(principal('sales'))).toEqual(['authenticated', 'sales']);
  });

  test('are worked out once per principal object, not per id', () => {
    const user = principal('user', { tenantId: 'ten_1' });
    expect(audiencesOf(user)).toBe(audiencesOf(user));
    // The same id with roles (a principal read again after a change) is a new object.
    const admin = principal('user', { tenantId: 'ten_1', roles: ['global-admin'] });
    expect(audiencesOf(admin).has('tenant-admin')).toBe(true);
    expect(audiencesOf(user).has('tenant-admin')).toBe(false);
  });
});
