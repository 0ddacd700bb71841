import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository's root, where `npm run build` writes `dist/`. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `node dist/main.js` running as a child process, with its standard output read line by line. */
export interface SpawnedService {
  readonly child: ChildProcess;
  /** The base URL from its `listening on` line. */
  readonly base: string;
  /** Every line printed so far on standard output. */
  readonly lines: readonly string[];
  /** The JSON log lines printed so far. */
  logs(): Record<string, unknown>[];
  /** Resolves with the first line (printed or to come) that satisfies `match`. */
  waitForLine(what: string, match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** How it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start the built service with these environment variables; resolves once it listens. */
export async function spawnService(env: Readonly<Record<string, string>>): Promise<SpawnedService> {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const check of [...waiters]) check();
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const check of [...waiters]) check();
  });

  const waitForLine = (what: string, match: (line: string) => boolean, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found === undefined && !ended) return;
        waiters.delete(check);
        clearTimeout(timer);
        if (found !== undefined) resolve(found);
        else reject(new Error(`the service exited before printing ${what}; stderr: ${stderr.join('')}`));
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the service did not print ${what} in ${timeoutMs} ms; stderr: ${stderr.join('')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  const listening = await waitForLine('its listening line', (line) => line.startsWith('listening on '));
  const logs = () => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, base: listening.slice('listening on '.length), lines, logs, waitForLine, exited };
}
