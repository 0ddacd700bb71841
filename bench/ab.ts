import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDescription, machineDescription } from './benchmark.js';
import { prepareHttpDatabase } from './http-fixture.js';
import type { LoadResult } from './http-load.js';
import { httpBenchOptions } from './http-options.js';
import type { ServiceStart } from './http-servers.js';
import type { ServerProcess } from './server-process.js';
import { startBareExpress, startService } from './http-servers.js';
import { HttpWorkload } from './http-workload.js';
import type { LoadSummary } from './load-summary.js';
import { failureCount, summarize } from './load-summary.js';
import { positiveInteger } from './options.js';
import type { TableRow } from './table.js';
import { count, formatTable } from './table.js';
import type { Direction } from './workload.js';

/**
 * `npm run bench:ab`: the service as two builds or configurations side by side, A and B,
 * each on its own byte copy of one prepared database, measured in alternating slices with
 * the bare handler in every slice. On these machines a single slice's rate varies by
 * ±15 % for the same code, so one run of `npm run bench` cannot tell a change of a few
 * per cent; a dozen pairs, each measured back to back, can (the interval printed says how
 * well). Not a target: nothing here fails.
 *
 * AB_A_ENTRY, AB_B_ENTRY   another build's dist/main.js (default: this build's)
 * AB_A_NODE_ARGS, …_B_…    node options for that side, space-separated (V8 flags, say)
 * AB_A_ENV, AB_B_ENV       variables for that side, `NAME=value` space-separated
 * AB_SLICES (12), AB_SECONDS (3 per slice), AB_DIRECTION (decrease | increase)
 * and the HTTP benchmark's BENCH_SUBSCRIPTIONS, BENCH_CONCURRENCY, BENCH_HTTP_WARMUP_SECONDS.
 */
export async function runAb(env: NodeJS.ProcessEnv = process.env, print: (line: string) => void = console.log): Promise<void> {
  const options = httpBenchOptions(env);
  const slices = positiveInteger(env, 'AB_SLICES', 12);
  const seconds = positiveInteger(env, 'AB_SECONDS', 3);
  const direction = directionOf(env.AB_DIRECTION);
  const sides = { A: sideOf(env, 'A'), B: sideOf(env, 'B') };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-ab-'));
  try {
    print(`ab: ${direction}s on ${count(options.sizes.subscriptions)} subscriptions, ${options.sizes.concurrency} clients; ${slices} slices of ${seconds} s, A and B alternating first, the bare handler after them`);
    print(`ab: ${machineDescription()}; ${loadDescription().text}`);
    for (const [name, side] of Object.entries(sides)) print(`ab: ${name} = ${describe(side)}`);
    const files = { A: path.join(dir, 'a.db'), B: path.join(dir, 'b.db') };
    const fixture = await prepareHttpDatabase(`sqlite:${files.A}`, options.sizes, () => undefined);
    // The fixture closed its connection: the file holds everything, its WAL checkpointed away.
    await copyFile(files.A, files.B);
    const shape = { concurrency: options.sizes.concurrency, warmupSeconds: options.warmupSeconds, seed: options.sizes.seed };
    const started: ServerProcess[] = [];
    const start = async (server: Promise<ServerProcess>) => {
      started.push(await server);
      return started.at(-1)!;
    };
    try {
      const services = {
        A: await start(startService(`sqlite:${files.A}`, `${files.A}.log`, sides.A)),
        B: await start(startService(`sqlite:${files.B}`, `${files.B}.log`, sides.B)),
      };
      const bare = await start(startBareExpress(path.join(dir, 'bare.log')));
      const workloads = { A: new HttpWorkload(fixture, shape), B: new HttpWorkload(fixture, shape), bare: new HttpWorkload(fixture, shape) };
      // Each service holds every subscription, as in the HTTP benchmark.
      for (const name of ['A', 'B'] as const) {
        const read = await workloads[name].read([services[name]]);
        if (failureCount(summarize([read])) > 0) throw new Error(`${name}: reading the subscriptions failed: ${read.firstFailure}`);
      }
      const runs: Record<'A' | 'B' | 'bare', LoadResult[]> = { A: [], B: [], bare: [] };
      for (let slice = 0; slice < slices; slice++) {
        const order = slice % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const);
        for (const name of order) runs[name].push(await workloads[name].change([services[name]], direction, seconds, true));
        runs.bare.push(await workloads.bare.change([bare], direction, seconds, false));
        const [a, b, plain] = [runs.A.at(-1)!, runs.B.at(-1)!, runs.bare.at(-1)!].map(rate);
        print(`ab: slice ${slice + 1}: A ${count(a!)} · B ${count(b!)} · bare ${count(plain!)} req/s; B/A ${fixed(b! / a!, 3)}`);
      }
      print('');
      print(report(runs, direction));
    } finally {
      for (const server of started) await server.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function report(runs: Record<'A' | 'B' | 'bare', LoadResult[]>, direction: Direction): string {
  const summaries = { A: summarize(runs.A), B: summarize(runs.B), bare: summarize(runs.bare) };
  const row = (name: 'A' | 'B' | 'bare', s: LoadSummary): TableRow => [
    name,
    count(s.rate),
    `${fixed(s.p50Ms, 1)} / ${fixed(s.p99Ms, 1)}`,
    s.mainThreadCpuPerRequestUs === null ? 'n/a' : `${count(s.mainThreadCpuPerRequestUs)} / ${count(s.serverCpuPerRequestUs!)}`,
    name === 'bare' ? '' : `${fixed((100 * s.rate) / summaries.bare.rate, 1)} %`,
    String(failureCount(s)),
  ];
  const table = formatTable(
    [`${direction}s`, 'req/s', 'p50 / p99 (ms)', 'CPU µs per request: main / all threads', 'of bare', 'failed'],
    (['A', 'B', 'bare'] as const).map((name) => row(name, summaries[name])),
  );
  const ratios = runs.B.map((b, i) => rate(b) / rate(runs.A[i]!));
  const { mean, low, high } = geometricInterval(ratios);
  return [
    table,
    '',
    `ab: B/A requests/s ${fixed(summaries.B.rate / summaries.A.rate, 3)} over all slices; per pair of slices ${fixed(mean, 3)} (geometric mean), about 95 % sure within ${fixed(low, 3)}–${fixed(high, 3)}`,
    `ab: per pair, sorted: ${[...ratios]
      .sort((x, y) => x - y)
      .map((r) => fixed(r, 3))
      .join(' ')}`,
  ].join('\n');
}

/** The geometric mean of ratios and two standard errors either side of it (on their logarithms). */
export function geometricInterval(ratios: readonly number[]): { mean: number; low: number; high: number } {
  const logs = ratios.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const variance = logs.length > 1 ? logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1) : 0;
  const spread = 2 * Math.sqrt(variance / logs.length);
  return { mean: Math.exp(mean), low: Math.exp(mean - spread), high: Math.exp(mean + spread) };
}

function sideOf(env: NodeJS.ProcessEnv, name: 'A' | 'B'): ServiceStart {
  const entry = env[`AB_${name}_ENTRY`];
  const words = (text: string | undefined) => (text ?? '').split(' ').filter(Boolean);
  const variables: Record<string, string> = {};
  for (const pair of words(env[`AB_${name}_ENV`])) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`AB_${name}_ENV: expected NAME=value pairs, not ${JSON.stringify(pair)}`);
    variables[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { entry: entry ? pathToFileURL(path.resolve(entry)) : undefined, nodeArgs: words(env[`AB_${name}_NODE_ARGS`]), env: variables };
}

function describe(side: ServiceStart): string {
  const parts = [side.entry ? side.entry.pathname : 'this build', ...(side.nodeArgs ?? []), ...Object.entries(side.env ?? {}).map(([k, v]) => `${k}=${v}`)];
  return parts.join(' ');
}

function directionOf(text: string | undefined): Direction {
  if (text === undefined || text === '' || text === 'decrease') return 'decrease';
  if (text === 'increase') return 'increase';
  throw new Error(`AB_DIRECTION must be decrease or increase, not ${JSON.stringify(text)}`);
}

const rate = (run: LoadResult) => run.ok / run.seconds;
const fixed = (value: number, digits: number) => value.toFixed(digits);

// Run on its own with `npm run bench:ab`; not part of `npm run bench` (no target).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAb();
