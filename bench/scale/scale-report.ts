import type { QueryPlan } from '../../storage/query-plan.js';
import { costlySteps } from '../../storage/query-plan.js';
import { percentile } from '../concurrent.js';
import type { TableRow } from '../table.js';
import { count, fixed } from '../table.js';
import type { Sample } from './alternating-rounds.js';
import { megabytes } from './resident-memory.js';
import type { Operation } from './workload.js';
import { OPERATION_LABELS, OPERATIONS } from './workload.js';

// Issue 7's targets.
export const COST_RATIO_TARGET = 1.2;
export const BUILD_SECONDS_TARGET = 120;
export const RSS_BYTES_TARGET = 300e6;

/** What was measured on one database. */
export interface SideResult {
  readonly subscriptions: number;
  readonly tenants: number;
  readonly buildSeconds: number;
  readonly fileBytes: number;
  readonly samples: Readonly<Record<Operation, Sample>>;
  /** The service's resident memory after the measured requests. */
  readonly rssAfterWorkload: number;
  /** The share of the database file in the page cache before and after the measured requests (null: unknown). */
  readonly pageCache: readonly [number | null, number | null];
}

/** What was measured on the large database only, or on both outside the three operations. */
export interface LargeExtras {
  /** GETs of subscriptions read for the first time, on the small and the large database. */
  readonly firstReads: readonly [Sample, Sample];
  readonly fillCount: number;
  readonly fillSeconds: number;
  /** After reading `fillCount` distinct subscriptions. */
  readonly rssAfterFill: number;
  /** The highest reading (one a second) during the measured requests, and during the reads that fill the cache. */
  readonly rssPeakMeasured: number;
  readonly rssPeakFill: number;
  /** The list and get queries' plans, as the service runs them, on the large database. */
  readonly plans: readonly { label: string; plan: QueryPlan }[];
}

/** The table, its notes, and whether every target was met. */
export function scaleReport(small: SideResult, large: SideResult & LargeExtras): { header: TableRow; rows: TableRow[]; notes: string[]; passed: boolean } {
  const notes: string[] = [];
  let passed = true;
  const verdict = (ok: boolean, what: string) => {
    if (!ok) {
      passed = false;
      notes.push(`scale: MISSED: ${what}`);
    }
    return ok ? 'ok' : 'MISSED';
  };
  const perRequestMs = (s: Sample) => (s.seconds * 1000) / s.requests;
  const rows: TableRow[] = [];
  for (const operation of OPERATIONS) {
    const [a, b] = [small.samples[operation], large.samples[operation]];
    const ratio = perRequestMs(b) / perRequestMs(a);
    rows.push(
      [`${OPERATION_LABELS[operation]}: ms per request`, fixed(perRequestMs(a), 3), fixed(perRequestMs(b), 3), `${fixed(ratio, 2)}×`, `≤ ${COST_RATIO_TARGET}×`, verdict(ratio <= COST_RATIO_TARGET, `${operation} costs ${fixed(ratio, 2)}× at ${count(large.subscriptions)}`)],
      ['  requests/s', count(a.requests / a.seconds), count(b.requests / b.seconds), '', '', ''],
      ['  latency p50 / p99 (ms)', latency(a), latency(b), '', '', ''],
    );
  }
  const [coldSmall, coldLarge] = large.firstReads;
  rows.push(
    ['GET, the subscription not in the cache yet: ms per request', fixed(perRequestMs(coldSmall), 3), fixed(perRequestMs(coldLarge), 3), `${fixed(perRequestMs(coldLarge) / perRequestMs(coldSmall), 2)}×`, 'diagnostic', ''],
    ['  latency p50 / p99 (ms)', latency(coldSmall), latency(coldLarge), '', '', ''],
    ['build (template over HTTP + clones), s', fixed(small.buildSeconds), fixed(large.buildSeconds), '', `< ${BUILD_SECONDS_TARGET} s`, verdict(large.buildSeconds < BUILD_SECONDS_TARGET, `building ${count(large.subscriptions)} took ${fixed(large.buildSeconds)} s`)],
    ['  database file (MB)', count(megabytes(small.fileBytes)), count(megabytes(large.fileBytes)), '', '', ''],
    ['  of it in the page cache, before / after the measured requests', pageCache(small), pageCache(large), '', 'diagnostic', ''],
    ['service RSS after the measured requests (MB)', count(megabytes(small.rssAfterWorkload)), count(megabytes(large.rssAfterWorkload)), '', `< ${megabytes(RSS_BYTES_TARGET)} MB`, verdict(large.rssAfterWorkload < RSS_BYTES_TARGET, 'resident memory after the workload')],
    ['  highest reading during them (one a second)', '', count(megabytes(large.rssPeakMeasured)), '', `< ${megabytes(RSS_BYTES_TARGET)} MB`, verdict(large.rssPeakMeasured < RSS_BYTES_TARGET, 'peak resident memory during the measured requests')],
    [`  after reading ${count(large.fillCount)} distinct subscriptions`, '', count(megabytes(large.rssAfterFill)), '', `< ${megabytes(RSS_BYTES_TARGET)} MB`, verdict(large.rssAfterFill < RSS_BYTES_TARGET, 'resident memory after filling the cache')],
    ['  highest reading during those reads', '', count(megabytes(large.rssPeakFill)), '', `< ${megabytes(RSS_BYTES_TARGET)} MB`, verdict(large.rssPeakFill < RSS_BYTES_TARGET, 'peak resident memory while filling the cache')],
    ['  reads while filling, requests/s', '', count(large.fillCount / large.fillSeconds), '', '', ''],
  );
  for (const { label, plan } of large.plans) {
    const costly = costlySteps(plan);
    notes.push(`scale: plan of ${label}: ${plan.plan.join('; ')}${costly.length ? `  ← ${verdict(false, `${label} ${costly.join(', ')}`)}` : ''}`);
  }
  return { header: ['', count(small.subscriptions), count(large.subscriptions), 'ratio', 'target', ''], rows, notes, passed };
}

function pageCache(side: SideResult): string {
  const share = (s: number | null) => (s === null ? '?' : `${Math.round(s * 100)} %`);
  return `${share(side.pageCache[0])} / ${share(side.pageCache[1])}`;
}

function latency(sample: Sample): string {
  return `${fixed(percentile(sample.latenciesMs, 0.5), 2)} / ${fixed(percentile(sample.latenciesMs, 0.99), 2)}`;
}
