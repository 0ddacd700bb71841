import type { LoadPlan } from './http-load.js';
import { runLoad } from './http-load.js';

// The load generator's process (started by bench/load-process.ts): one plan in over IPC,
// one result out, then exit. A process of its own so that the clients never share an
// event loop with a server they measure, nor with the orchestrator's heap.

process.once('message', (plan: LoadPlan) => {
  runLoad(plan).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`load generator failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
});
