import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDescription, machineDescription } from '../benchmark.js';
import { runConcurrently } from '../concurrent.js';
import { seededRandom } from '../random.js';
import type { TableRow } from '../table.js';
import { count, fixed, formatTable } from '../table.js';
import { distinctNumbers } from './distinct.js';
import { HttpClient } from './http-client.js';
import { CLOCK_START, buildPopulation } from './population.js';
import { megabytes } from './resident-memory.js';
import { rssGrowth, windowOf } from './rss-growth.js';
import { RssSampler } from './rss-sampler.js';
import { SoakMix } from './soak-mix.js';
import type { SoakSettings } from './soak-options.js';
import { soakSettings } from './soak-options.js';
import { OPERATOR_TOKEN, startService } from './service-process.js';
import { ScaleWorkload } from './workload.js';

// The manual clock moves an hour every ten seconds: due timers fire, as they would in a day.
const ADVANCE_EVERY_MS = 10_000;
const ADVANCE_BY_MS = 3_600_000;

/**
 * `npm run soak`: the service as a child process on a database of active subscriptions
 * (1,000,000 by default), under a steady mixed load for 5 minutes (SOAK_SECONDS), its
 * resident memory read every few seconds; fails when the last fifth's mean exceeds the
 * mean after warm-up by more than the tolerance (see rss-growth.ts).
 */
export async function runSoak(settings: SoakSettings = soakSettings(), print: (line: string) => void = console.log): Promise<boolean> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-soak-'));
  try {
    print(`soak: ${count(settings.subscriptions)} active subscriptions, ${settings.perTenant} per tenant; ${settings.seconds} s of mixed load from ${settings.concurrency} clients, resident memory every ${settings.sampleSeconds} s`);
    print(`soak: ${machineDescription()}; SQLite file in ${dir}`);
    const population = await buildPopulation(dir, 'soak.db', settings.subscriptions, settings.perTenant);
    print(`soak: built in ${population.buildSeconds.toFixed(1)} s; ${loadDescription().text}`);
    const service = await startService(population.file, CLOCK_START);
    const client = new HttpClient(service.base, settings.concurrency + 1);
    try {
      const random = seededRandom(settings.seed);
      const workload = new ScaleWorkload(client, population, random);
      const prefill = distinctNumbers(settings.prefill, population.subscriptions - 1, random);
      print(`soak: reading ${count(prefill.length)} distinct subscriptions first, so that the cache is full before the soak…`);
      await runConcurrently(prefill.length, settings.concurrency, (i) => workload.get(prefill[i]!));

      const loadBefore = loadDescription();
      const mix = new SoakMix(client, population, workload, random);
      const sampler = new RssSampler(service.pid, settings.sampleSeconds * 1000);
      await sampler.sample();
      const start = performance.now();
      const deadline = start + settings.seconds * 1000;
      let advances = 0;
      const advancing = new Set<Promise<void>>();
      const clock = setInterval(() => {
        advances++;
        const advance = client
          .expect(200, 'POST', '/api/clock/advance', OPERATOR_TOKEN, { ms: ADVANCE_BY_MS })
          .then(
            () => undefined,
            (error: unknown) => print(`soak: clock advance failed: ${String(error)}`),
          )
          .finally(() => advancing.delete(advance));
        advancing.add(advance);
      }, ADVANCE_EVERY_MS);
      try {
        await Promise.all(
          Array.from({ length: settings.concurrency }, async () => {
            while (performance.now() < deadline) await mix.next();
          }),
        );
      } finally {
        clearInterval(clock);
        // An advance under way is answered before the service is stopped, not cut off by it.
        await Promise.all(advancing);
      }
      await sampler.sample();
      sampler.stop();
      const seconds = (performance.now() - start) / 1000;
      const growth = rssGrowth(sampler.samples, seconds);
      const requests = Object.values(mix.counts).reduce((a, b) => a + b, 0);

      const fifths: TableRow[] = [0, 1, 2, 3, 4].map((i) => {
        const w = windowOf(sampler.samples, (seconds * i) / 5, i === 4 ? Number.POSITIVE_INFINITY : (seconds * (i + 1)) / 5);
        return [`${fixed(w.from, 0)}–${fixed(Math.min(w.to, seconds), 0)} s${i === 0 ? ' (warm-up)' : ''}`, fixed(megabytes(w.meanBytes)), fixed(megabytes(w.minBytes)), fixed(megabytes(w.maxBytes)), String(w.count)];
      });
      print('');
      print(formatTable(['resident memory (MB)', 'mean', 'min', 'max', 'readings'], fifths));
      print('');
      print(`soak: ${count(requests)} requests in ${fixed(seconds)} s (${count(requests / seconds)}/s): ${Object.entries(mix.counts).map(([k, n]) => `${k} ${count(n)}`).join(', ')}; ${advances} clock advances of an hour`);
      // What the tolerance lets through: the growth it allows spread over the requests between the two windows' middles.
      const perRequest = growth.toleranceBytes / ((requests / seconds) * seconds * 0.5);
      print(`soak: mean of the last fifth − mean of the second: ${fixed(megabytes(growth.growthBytes), 1)} MB; tolerance ${fixed(megabytes(growth.toleranceBytes), 1)} MB (GC noise; a leak of ${count(perRequest)} bytes per request or more would exceed it)`);
      const loadAfter = loadDescription();
      print(`soak: ${loadBefore.text} before, ${loadAfter.text} after`);
      print(growth.grew ? 'soak: resident memory GREW' : 'soak: resident memory did not grow');
      return !growth.grew;
    } finally {
      client.close();
      await service.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const passed = await runSoak();
if (!passed) process.exitCode = 1;
