import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../storage/database.js';
import { findInstances } from '../../storage/instances.repository.js';
import { listInstances } from '../../storage/instance-queries.repository.js';
import { queryPlans } from '../../storage/query-plan.js';
import { SERVICE_CACHE_CAPACITY } from '../../server/service.js';
import type { BenchOutcome } from '../benchmark.js';
import { loadDescription, machineDescription } from '../benchmark.js';
import { runConcurrently } from '../concurrent.js';
import { seededRandom } from '../random.js';
import { count, formatTable } from '../table.js';
import type { Sample } from './alternating-rounds.js';
import { ROUNDS, measureAlternately } from './alternating-rounds.js';
import { checkClone } from './clone-check.js';
import { distinctNumbers } from './distinct.js';
import { HttpClient } from './http-client.js';
import { pageCacheShare } from './page-cache.js';
import type { Population } from './population.js';
import { CLOCK_START, buildPopulation } from './population.js';
import { residentBytes } from './resident-memory.js';
import { RssSampler } from './rss-sampler.js';
import type { LargeExtras, SideResult } from './scale-report.js';
import { scaleReport } from './scale-report.js';
import type { ScaleSizes } from './scale-options.js';
import { scaleSizes } from './scale-options.js';
import type { ServiceProcess } from './service-process.js';
import { startService } from './service-process.js';
import type { Operation } from './workload.js';
import { OPERATIONS, OPERATION_LABELS, ScaleWorkload } from './workload.js';

// Unmeasured requests of each operation before the measured ones (JIT, connections).
const WARM_UP_REQUESTS = 300;

/** One database with its service running. */
interface Side {
  readonly population: Population;
  readonly service: ServiceProcess;
  readonly client: HttpClient;
  readonly workload: ScaleWorkload;
}

/**
 * Issue 7's scale and memory benchmark: two databases of active subscriptions (1,000 and
 * 1,000,000 by default) built in bulk from one made over HTTP, the service running on
 * each as a child process, and the three requests measured on both in alternating rounds:
 * cost ratios, the large build's time, the large service's resident memory after the
 * requests and after reading more distinct subscriptions than its cache once held, and
 * the query plans of the list and get paths on the large database.
 */
export async function runScaleBench(sizes: ScaleSizes = scaleSizes(), print: (line: string) => void = console.log): Promise<BenchOutcome> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-scale-'));
  const started: Side[] = [];
  try {
    print(`scale: ${count(sizes.small)} and ${count(sizes.large)} active subscriptions, ${sizes.perTenant} per tenant; ${count(sizes.requests)} requests per operation and size, ${sizes.concurrency} concurrent clients`);
    print(`scale: ${machineDescription()}; SQLite files in ${dir}`);
    const loadBefore = loadDescription();
    const populations: Population[] = [];
    for (const [name, subscriptions] of [['small.db', sizes.small], ['large.db', sizes.large]] as const) {
      const population = await buildPopulation(dir, name, subscriptions, sizes.perTenant);
      print(`scale: built ${count(subscriptions)} subscriptions over ${count(population.tenants)} tenants in ${population.buildSeconds.toFixed(1)} s (clones ${population.cloneSeconds.toFixed(1)} s); ${loadDescription().text}`);
      populations.push(population);
    }
    const random = seededRandom(sizes.seed);
    for (const population of populations) {
      const service = await startService(population.file, CLOCK_START);
      const client = new HttpClient(service.base, sizes.concurrency);
      started.push({ population, service, client, workload: new ScaleWorkload(client, population, random) });
    }
    const [small, large] = started as [Side, Side];
    const sampler = new RssSampler(large.service.pid, 1000);
    const signIns = Math.max(...populations.map((p) => p.tenants));
    for (const side of started) await signInEveryTenant(side, signIns, sizes.concurrency);

    // Before anything reads an instance: both services' first reads, none in their caches yet.
    print('scale: measuring first reads (not in the engine\'s cache) on both…');
    const coldRequests = ROUNDS * Math.floor(Math.min(sizes.requests, small.population.subscriptions - 1) / ROUNDS);
    const firstReads = (side: Side) => {
      const unread = distinctNumbers(coldRequests, side.population.subscriptions - 1, random);
      let next = 0;
      return () => side.workload.get(unread[next++]!);
    };
    const [coldSmall, coldLarge] = await measureAlternately([firstReads(small), firstReads(large)], coldRequests, sizes.concurrency);

    for (const side of started) {
      for (const n of [0, side.population.subscriptions - 2]) await checkClone(side.client, side.population, n);
    }
    print('scale: clones read and changed through the API exactly like the template (view, history, licenses, invoices, CHANGE_QUANTITY, 404 to another tenant)');
    for (const side of started) {
      for (const operation of OPERATIONS) await runConcurrently(WARM_UP_REQUESTS, sizes.concurrency, () => side.workload.run(operation));
    }

    const samples = { small: {} as Record<Operation, Sample>, large: {} as Record<Operation, Sample> };
    const cachedBefore = await Promise.all(started.map((side) => pageCacheShare(side.population.file)));
    const measuredFrom = (await sampler.sample()).seconds;
    for (const operation of OPERATIONS) {
      print(`scale: measuring ${OPERATION_LABELS[operation]}…`);
      const run = (side: Side) => () => side.workload.run(operation);
      [samples.small[operation], samples.large[operation]] = await measureAlternately([run(small), run(large)], sizes.requests, sizes.concurrency);
    }
    const afterWorkload = await sampler.sample();
    const rssAfterWorkload = [await residentBytes(small.service.pid), afterWorkload.bytes] as const;
    const cachedAfter = await Promise.all(started.map((side) => pageCacheShare(side.population.file)));

    const fill = distinctNumbers(sizes.fill, large.population.subscriptions - 1, random);
    print(`scale: reading ${count(fill.length)} distinct subscriptions of the large database…`);
    const fillStart = performance.now();
    await runConcurrently(fill.length, sizes.concurrency, (i) => large.workload.get(fill[i]!));
    const fillSeconds = (performance.now() - fillStart) / 1000;
    const afterFill = await sampler.sample();
    sampler.stop();
    for (const side of started.splice(0)) await stopSide(side);

    const extras: LargeExtras = {
      firstReads: [coldSmall, coldLarge],
      fillCount: fill.length,
      fillSeconds,
      rssAfterFill: afterFill.bytes,
      rssPeakMeasured: sampler.peakBetween(measuredFrom, afterWorkload.seconds),
      rssPeakFill: sampler.peakBetween(afterWorkload.seconds, afterFill.seconds),
      plans: await plansOf(large.population),
    };
    const sideResult = (side: Side, which: 'small' | 'large', rss: number, pageCache: SideResult['pageCache']): Promise<SideResult> =>
      stat(side.population.file).then((file) => ({
        subscriptions: side.population.subscriptions,
        tenants: side.population.tenants,
        buildSeconds: side.population.buildSeconds,
        fileBytes: file.size,
        samples: samples[which],
        rssAfterWorkload: rss,
        pageCache,
      }));
    const report = scaleReport(await sideResult(small, 'small', rssAfterWorkload[0], [cachedBefore[0]!, cachedAfter[0]!]), {
      ...(await sideResult(large, 'large', rssAfterWorkload[1], [cachedBefore[1]!, cachedAfter[1]!])),
      ...extras,
    });
    const loadAfter = loadDescription();
    print('');
    print(formatTable(report.header, report.rows));
    for (const note of report.notes) print(note);
    print(`scale: the service caches ${count(SERVICE_CACHE_CAPACITY)} instances: at ${count(sizes.small)} a subscription read once stays cached, at ${count(sizes.large)} a random one almost never is; the "not in the cache yet" row compares a miss with a miss`);
    print(`scale: ms per request = wall time of a side's requests / their number, at the same concurrency on both sides, measured in ${ROUNDS} alternating rounds`);
    print(`scale: ${loadBefore.text} before, ${loadAfter.text} after`);
    if (loadBefore.busy || loadAfter.busy) print('scale: other processes were busy on this machine: times (and, less so, ratios) are not representative');
    return { name: 'scale', passed: report.passed };
  } finally {
    for (const side of started) await stopSide(side).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Every tenant's admin signs in (the service caches principals), `count` sign-ins in turn
 * on either side so that both processes have run as much code, then reads its first page:
 * what stays is the cost of a database's size, not of a cold start. Neither reads an
 * instance through the engine, whose cache stays empty for the first reads.
 */
async function signInEveryTenant(side: Side, count: number, concurrency: number): Promise<void> {
  const { population } = side;
  await runConcurrently(count, concurrency, (i) => side.client.expect(200, 'GET', '/api/tenant', population.adminToken(i % population.tenants)));
  await runConcurrently(WARM_UP_REQUESTS, concurrency, () => side.workload.run('list'));
}

async function stopSide(side: Side): Promise<void> {
  side.client.close();
  await side.service.stop();
}

/** The plans of the queries behind the measured reads, on the database after the run. */
async function plansOf(population: Population): Promise<LargeExtras['plans']> {
  const database = await openDatabase(`sqlite:${population.file}`);
  try {
    const tenantId = population.tenantId(0);
    const plans = await queryPlans(database, async (db) => {
      await listInstances(db, { machine: 'subscription', tenantId }, undefined, 51);
      await listInstances(db, { machine: 'subscription', tenantId, status: 'active' }, undefined, 51);
      await findInstances(db, [population.subscriptionId(0)]);
    });
    const labels = ["a tenant's first page", "a tenant's first page of active ones", 'a subscription by id'];
    return plans.map((plan, i) => ({ label: labels[i] ?? plan.sql, plan }));
  } finally {
    await database.close();
  }
}

// Run on its own with `node dist/bench/scale/scale.js`; run-all imports it instead.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outcome = await runScaleBench();
  if (!outcome.passed) process.exitCode = 1;
}
