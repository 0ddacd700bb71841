/** Region names as SPEC §3 writes them. */
export type RegionName =
  | 'Argentina'
  | 'Australia'
  | 'Canada'
  | 'Chile'
  | 'France'
  | 'Germany'
  | 'Greece'
  | 'Puerto Rico'
  | 'South Africa'
  | 'United Kingdom'
  | 'United States'
  | 'Western Europe';

// The one list of supported billing countries (ISO 3166-1 alpha-2). France and Germany
// are also in UN M49 Western Europe, but a named country wins over the wider region.
const REGION_BY_COUNTRY: Readonly<Record<string, RegionName>> = Object.freeze({
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
});

/** The supported region of a billing country, or null where apps cannot be bought. */
export function regionOf(country: string): RegionName | null {
  return REGION_BY_COUNTRY[country.toUpperCase()] ?? null;
}

/** Every supported country code, for documentation and tests. */
export const SUPPORTED_COUNTRIES: readonly string[] = Object.freeze(Object.keys(REGION_BY_COUNTRY));
