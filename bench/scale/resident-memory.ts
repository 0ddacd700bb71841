import { readFile } from 'node:fs/promises';

/** A process's resident set size in bytes, from Linux's /proc/<pid>/status (VmRSS). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Bytes as MB (10^6), the unit of issue 7's target. */
export const megabytes = (bytes: number): number => bytes / 1e6;
