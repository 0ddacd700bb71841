import { describe, expect, it } from 'vitest';
import { SUPPORTED_COUNTRIES, regionOf } from '../../machines/regions.js';

// SPEC §3, written out once more here so that a change to the data is a visible change to the rule.
const SPEC_REGIONS: Record<string, string> = {
  AR: 'Argentina',
  AU: 'Australia',
  CA: 'Canada',
  CL: 'Chile',
  FR: 'France',
  DE: 'Germany',
  GR: 'Greece',
  PR: 'Puerto Rico',
  ZA: 'South Africa',
  GB: 'United Kingdom',
  US: 'United States',
  AT: 'Western Europe',
  BE: 'Western Europe',
  LI: 'Western Europe',
  LU: 'Western Europe',
  MC: 'Western Europe',
  NL: 'Western Europe',
  CH: 'Western Europe',
};

describe('supported regions (SPEC §3)', () => {
  for (const [country, region] of Object.entries(SPEC_REGIONS)) {
    it(`${country} is supported as ${region}`, () => {
      expect(regionOf(country)).toBe(region);
    });
  }

  it('names France and Germany by their country, not by Western Europe', () => {
    expect([regionOf('FR'), regionOf('DE')]).toEqual(['France', 'Germany']);
  });

  it('supports exactly the countries SPEC §3 lists', () => {
    expect([...SUPPORTED_COUNTRIES].sort()).toEqual(Object.keys(SPEC_REGIONS).sort());
  });

  it.each(['IT', 'ES', 'JP', 'BR', 'IE', 'PT', 'DK', 'XX', ''])('refuses %j: its region is null', (country) => {
    expect(regionOf(country)).toBeNull();
  });

  it('reads a country code whatever its case', () => {
    expect([regionOf('fr'), regionOf('Ch'), regionOf('us')]).toEqual(['France', 'Western Europe', 'United States']);
  });

  it('does not take a country name or a padded code for a code', () => {
    expect([regionOf('France'), regionOf(' FR'), regionOf('USA')]).toEqual([null, null, null]);
  });
});
