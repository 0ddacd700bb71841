import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadPlan, LoadResult } from './http-load.js';

const GENERATOR_ENTRY = new URL('./load-generator.js', import.meta.url);

/** Runs one load plan in a new load generator process and resolves with what it measured. */
export function generateLoad(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Not the parent's exec arguments: a --cpu-prof meant for the parent is not the generator's.
    const child = fork(fileURLToPath(GENERATOR_ENTRY), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the load generator exited with ${code} and ${result ? 'a' : 'no'} result`))));
    child.send(plan);
  });
}
