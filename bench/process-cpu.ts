import { readFileSync } from 'node:fs';

// Linux counts process times in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system, all threads: sqlite3 works on libuv's pool) that process
 * `pid` has used so far, from /proc; undefined where there is no /proc or no such process.
 * Read by the load generator around its measured window, so the server's CPU per request
 * can be compared across configurations even when other processes take cores away.
 */
export function processCpuSeconds(pid: number): number | undefined {
  return cpuSecondsOf(`/proc/${pid}/stat`);
}

/**
 * CPU seconds that the main thread of process `pid` alone has used (its thread id is the
 * process id): in a Node server the JavaScript, so when it nears a whole core, the
 * server's requests wait for it whatever the other threads do.
 */
export function mainThreadCpuSeconds(pid: number): number | undefined {
  return cpuSecondsOf(`/proc/${pid}/task/${pid}/stat`);
}

function cpuSecondsOf(statFile: string): number | undefined {
  try {
    const stat = readFileSync(statFile, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12th and 13th after the name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
