import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The share of a file held in the operating system's page cache, by util-linux's `fincore`
 * (Node has no `mincore`), or null where it cannot be told. A database read from memory
 * and one read from the disk are different benchmarks, and these machines' page cache is
 * emptied from time to time (seen: 12.4 GB to 0.7 GB within minutes, nothing else
 * running), so the scale rows say which they measured.
 */
export async function pageCacheShare(file: string): Promise<number | null> {
  try {
    const { stdout } = await run('fincore', ['--bytes', '--noheadings', '--raw', '--output', 'RES,SIZE', file]);
    const [resident, size] = stdout.trim().split(/\s+/).map(Number);
    return resident !== undefined && size ? resident / size : null;
  } catch {
    return null;
  }
}
