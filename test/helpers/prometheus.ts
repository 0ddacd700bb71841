/** Labels of a sample, as written in the exposition text. */
export type Labels = Readonly<Record<string, string>>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of a metric in Prometheus text whose labels include `labels`. */
export function samples(text: string, name: string, labels: Labels = {}): { labels: Labels; value: number }[] {
  const found: { labels: Labels; value: number }[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match || match[1] !== name) continue;
    const own = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map((m) => [m[1]!, m[2]!]));
    if (Object.entries(labels).every(([k, v]) => own[k] === v)) found.push({ labels: own, value: Number(match[3]) });
  }
  return found;
}

/** The sum of the matching samples' values (0 when there are none). */
export function total(text: string, name: string, labels: Labels = {}): number {
  return samples(text, name, labels).reduce((sum, s) => sum + s.value, 0);
}
