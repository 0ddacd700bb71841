import { runEngineBench } from './engine.js';
import { runHttpBench } from './http.js';
import { runTimersBench } from './timers.js';
import { runScaleBench } from './scale/scale.js';
import type { BenchOutcome } from './benchmark.js';
import { settleLoad } from './benchmark.js';

// Every benchmark in bench/, run one after another so that none disturbs another's
// figures. A new benchmark adds itself here.
const BENCHMARKS: readonly (() => Promise<BenchOutcome>)[] = [() => runEngineBench(), () => runHttpBench(), () => runTimersBench(), () => runScaleBench()];

// The build that `npm run bench` runs first loads the machine for a while.
const SETTLE_MS = 90_000;

const missed: string[] = [];
await settleLoad(SETTLE_MS, console.log);
for (const run of BENCHMARKS) {
  const outcome = await run();
  if (!outcome.passed) missed.push(outcome.name);
}
if (missed.length > 0) {
  console.log(`\nbench: targets missed in ${missed.join(', ')}`);
  // Everything is printed first; only the exit status says that a target was missed.
  process.exitCode = 1;
} else {
  console.log('\nbench: every target met');
}
