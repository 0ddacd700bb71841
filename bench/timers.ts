import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Runtime } from '../engine/runtime.js';
import { createRuntime } from '../engine/runtime.js';
import { TOKEN_LIFETIME_MS } from '../machines/activation.machine.js';
import type { Database } from '../storage/database.js';
import { BatchRecorder } from './batch-recorder.js';
import { createBenchDirectory } from './bench-database.js';
import type { BenchOutcome } from './benchmark.js';
import { loadDescription, machineDescription } from './benchmark.js';
import type { DurableResult } from './durable-phase.js';
import { runDurablePhase } from './durable-phase.js';
import { createIssuedTokens } from './issued-tokens.js';
import { seededRandom } from './random.js';
import { createActiveSubscriptions } from './subscriptions.js';
import { count, formatTable } from './table.js';
import { measureAdvance } from './timer-advance.js';
import { checkFiredOnce, countDueTimers } from './timer-check.js';
import { TimerRoundTrips } from './timer-round-trips.js';
import type { TimerBenchSizes } from './timer-sizes.js';
import { timerBenchSizes } from './timer-sizes.js';
import { timersReport } from './timers-report.js';
import type { QuantityChange } from './workload.js';
import { quantityChanges } from './workload.js';

// Issue 7: 100,000 due timers fired by one advance at ≥ 50 % of the durable event rate.
const TIMERS_TO_DURABLE_TARGET = 0.5;
// As the engine benchmark's: the same start gives the same stamps in every run.
const CLOCK_START = Date.parse('2026-01-01T00:00:00.000Z');
// One portal visit every 100 ms: 100,000 tokens issued over 2 h 47 min, so that their
// expiries are due one after another, in an order the scheduler must keep.
const TOKEN_SPACING_MS = 100;

/**
 * The timers benchmark of issue 7: one `advance` of the manual clock fires 100,000 due
 * timers, and its rate is set beside the durable CHANGE_QUANTITY rate of the engine
 * benchmark, measured in the same process on the same database just before and just
 * after it.
 *
 * The timer is a handoff token's expiry (TOKEN_EXPIRED on an activation instance). It is
 * the fair "one timer = one event" unit: one event to one instance, no cascade, and the
 * same number of rows as the reference CHANGE_QUANTITY decrease (an instance update and a
 * journal entry, plus the timer marked fired where the decrease writes a webhook to the
 * outbox). A term end or an invoice's due date would instead carry a cascade (a renewal
 * issues and charges an invoice; an overdue invoice moves its subscription to pastDue),
 * which measures the cascade as much as the timers.
 */
export async function runTimersBench(sizes: TimerBenchSizes = timerBenchSizes(), print: (line: string) => void = console.log): Promise<BenchOutcome> {
  const dir = await createBenchDirectory();
  let database: Database | undefined;
  try {
    print(`timers: ${count(sizes.timers)} due token expiries fired by one advance, against ${count(sizes.events)} CHANGE_QUANTITY decreases (${sizes.concurrency} concurrent senders) on ${count(sizes.subscriptions)} active subscriptions`);
    print(`timers: ${machineDescription()}; SQLite file in ${dir.path} (WAL, synchronous=FULL)`);
    database = await dir.open('timers.db');
    const recorder = new BatchRecorder();
    const roundTrips = new TimerRoundTrips();
    const runtime = await createRuntime({ database, clock: 'manual', clockStart: CLOCK_START, wrapStore: (store) => recorder.wrap(roundTrips.wrap(store)) });
    const { subscriptionIds, activationIds } = await setUp(runtime, sizes, print);
    // Every token was issued by now, so every expiry is due by a lifetime later.
    const toMs = runtime.clock.now() + TOKEN_LIFETIME_MS;
    const due = await countDueTimers(database, toMs);

    const loadBefore = loadDescription();
    const changes = await plannedDecreases(runtime, subscriptionIds, sizes);
    const half = Math.ceil(changes.length / 2);
    print('timers: durable CHANGE_QUANTITY, one advance, durable CHANGE_QUANTITY…');
    const durableBefore = await durablePhase(runtime, recorder, subscriptionIds, changes.slice(0, half), sizes.concurrency);
    const advance = await measureAdvance(runtime, recorder, roundTrips, toMs);
    const durableAfter = await durablePhase(runtime, recorder, subscriptionIds, changes.slice(half), sizes.concurrency);
    const loadAfter = loadDescription();
    await runtime.stop();

    const problems = await checkFiredOnce(database, activationIds, 'tokenExpiry', toMs);
    const report = timersReport({ durableBefore, durableAfter, advance, due, problems }, TIMERS_TO_DURABLE_TARGET);
    print('');
    print(formatTable(report.header, report.rows));
    for (const note of report.notes) print(note);
    print(`timers: ${loadBefore.text} before, ${loadAfter.text} after`);
    if (loadBefore.busy || loadAfter.busy) print('timers: other processes were busy on this machine: rates (and, less so, ratios) are not representative');
    return { name: 'timers', passed: report.passed };
  } finally {
    await database?.close();
    await dir.remove();
  }
}

/** Active subscriptions for the reference events, then the handoffs whose tokens will expire. */
async function setUp(runtime: Runtime, sizes: TimerBenchSizes, print: (line: string) => void) {
  let start = performance.now();
  const subscriptionIds = await createActiveSubscriptions(runtime, sizes.subscriptions, sizes.setupConcurrency);
  print(`timers: setup (not measured) created and activated ${count(subscriptionIds.length)} subscriptions in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  start = performance.now();
  const activationIds = await createIssuedTokens(runtime, sizes.timers, sizes.setupConcurrency, TOKEN_SPACING_MS);
  await runtime.engine.drain();
  const seconds = (performance.now() - start) / 1000;
  // Per token: the purchase (creating its subscription and handoff), then the portal.
  print(`timers: setup (not measured) bought ${count(activationIds.length)} subscriptions and issued their tokens in ${seconds.toFixed(1)} s (${count((2 * activationIds.length) / seconds)} units/s, ${sizes.setupConcurrency} senders)`);
  return { subscriptionIds, activationIds };
}

/** The decreases of both halves, planned at once so that each is one seat below the last. */
async function plannedDecreases(runtime: Runtime, subscriptionIds: readonly string[], sizes: TimerBenchSizes): Promise<QuantityChange[]> {
  const records = await runtime.engine.getMany(subscriptionIds);
  return quantityChanges(records, sizes.events, 'decrease', seededRandom(sizes.seed));
}

/**
 * The engine benchmark's durable phase, with its subscriptions in the engine's cache
 * first, as they are there: the advance has just read 100,000 other instances.
 */
async function durablePhase(runtime: Runtime, recorder: BatchRecorder, subscriptionIds: readonly string[], changes: readonly QuantityChange[], concurrency: number): Promise<DurableResult> {
  await runtime.engine.getMany(subscriptionIds);
  return runDurablePhase(runtime, recorder, changes, concurrency);
}

// Run on its own with `node dist/bench/timers.js`; run-all imports it instead.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outcome = await runTimersBench();
  if (!outcome.passed) process.exitCode = 1;
}
