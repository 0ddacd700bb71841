import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** A server running in a child process. */
export interface ServerProcess {
  /** Its base URL, from the `listening on` line it printed. */
  readonly url: string;
  readonly pid: number;
  /** SIGTERM, then waits for the exit (SIGKILL if it takes too long). */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Variables on top of this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Where its standard output and error go. */
  readonly logFile: string;
  /** Node options before the script (`--cpu-prof`, say). */
  readonly nodeArgs?: readonly string[];
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const LISTENING = /listening on (http:\/\/\S+)/;

// Servers still running when this process exits (a benchmark that threw past its cleanup)
// would hold their ports and databases: they go with it.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `node <entry>` and waits for its `listening on http://…` line. Its output goes to
 * a file, not a pipe: a pipe would have to be read by this process, which would then
 * spend CPU on every log line the server writes while the load runs.
 */
export async function startServerProcess(entry: URL, options: ServerProcessOptions): Promise<ServerProcess> {
  const fd = openSync(options.logFile, 'a');
  // A log file may be reused: only what this start writes counts.
  const offset = fstatSync(fd).size;
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), fileURLToPath(entry)], { env: { ...process.env, ...options.env }, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const log = (await readFile(options.logFile)).subarray(offset).toString('utf8');
    const url = LISTENING.exec(log)?.[1];
    if (url) return { url, pid: child.pid!, stop: () => stop(child, exited) };
    if (exitCode !== undefined || Date.now() > deadline) {
      if (exitCode === undefined) child.kill('SIGKILL');
      throw new Error(`${fileURLToPath(entry)} did not start (${exitCode === undefined ? 'timed out' : `exit ${exitCode}`}); its output ends:\n${log.split('\n').slice(-15).join('\n')}`);
    }
    await sleep(50);
  }
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // Unreferenced: a server that stops at once must not keep this process alive for the wait.
  const timeout = sleep(STOP_TIMEOUT_MS, undefined, { ref: false }).then(() => 'timeout' as const);
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
