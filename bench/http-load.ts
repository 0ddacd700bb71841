import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { isSuccess, request } from './http-request.js';
import { MeasuredWindow } from './measured-window.js';
import type { QuantityPick } from './quantity-picker.js';
import { QuantityPicker } from './quantity-picker.js';
import { seededRandom } from './random.js';
import type { Direction } from './workload.js';

/** One load run, as the orchestrator hands it to the load generator process. */
export interface LoadPlan {
  /** `change`: CHANGE_QUANTITY for a duration; `read`: GET each subscription once. */
  readonly kind: 'change' | 'read';
  /** Base URLs of the servers; client i talks to target i mod their number. */
  readonly targets: readonly string[];
  /** The servers' process ids, whose CPU time is read around the measured window. */
  readonly serverPids: readonly number[];
  readonly token: string;
  readonly ids: readonly string[];
  /** Each subscription's seat count before the run. */
  readonly quantities: number[];
  readonly limits: { readonly min: number; readonly max: number };
  readonly direction: Direction;
  readonly concurrency: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly seed: number;
}

/** What a load run measured. */
export interface LoadResult {
  /** 2xx answers that arrived in the measured window. */
  readonly ok: number;
  /** The measured window's length. */
  readonly seconds: number;
  /** Time from sending to the whole answer, of every answer in the window, in ms. */
  readonly latenciesMs: number[];
  /** Answers that were not 2xx and requests that got none, over the whole run, by kind. */
  readonly failures: Record<string, number>;
  /** The first failure's status and body, to say what went wrong. */
  readonly firstFailure: string | null;
  /** The run stopped early: no subscription had room for another change in its direction. */
  readonly outOfRoom: boolean;
  /** CPU seconds of the load generator in the window. */
  readonly generatorCpuSeconds: number;
  /** CPU seconds of the servers in the window (summed), or null without /proc. */
  readonly serverCpuSeconds: number | null;
  /** Of which their main threads'. */
  readonly serverMainThreadCpuSeconds: number | null;
  /** How many server processes the CPU seconds are summed over. */
  readonly serverProcesses: number;
  /** Each subscription's seat count after the run. */
  readonly quantities: number[];
}

/**
 * Runs `plan.concurrency` clients, each sending its next request only when its previous
 * one is answered, over keep-alive connections (one agent per server). A change run lasts
 * the warm-up plus the measured seconds; only answers that arrive in the measured window
 * count, and requests still unanswered at its end are awaited but not counted.
 */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const bases = plan.targets.map((t) => new URL(t));
  const agents = bases.map(() => new http.Agent({ keepAlive: true, maxSockets: Math.ceil(plan.concurrency / bases.length) }));
  const headers = { authorization: `Bearer ${plan.token}`, 'content-type': 'application/json' };
  const picker = new QuantityPicker(plan.quantities, plan.direction, plan.limits, seededRandom(plan.seed));
  const failures: Record<string, number> = {};
  let firstFailure: string | null = null;
  const fail = (kind: string, detail: string) => {
    failures[kind] = (failures[kind] ?? 0) + 1;
    firstFailure ??= detail;
  };
  const latenciesMs: number[] = [];
  let ok = 0;
  let outOfRoom = false;
  const warmupMs = plan.kind === 'read' ? 0 : plan.warmupSeconds * 1000;
  const stopAt = performance.now() + warmupMs + plan.seconds * 1000;
  const window = new MeasuredWindow(plan.serverPids);
  // A read run is measured whole: it has a count, not a duration.
  if (plan.kind === 'read') window.open();
  const opening = plan.kind === 'read' ? undefined : setTimeout(() => window.open(), warmupMs);
  const closing = plan.kind === 'read' ? undefined : setTimeout(() => window.close(), warmupMs + plan.seconds * 1000);

  // Each call answers one request; false when there is nothing more to send.
  let nextRead = 0;
  const sendOne = async (agent: http.Agent, base: URL): Promise<boolean> => {
    let pick: QuantityPick | undefined;
    let path: string;
    let body: string | undefined;
    if (plan.kind === 'read') {
      if (nextRead >= plan.ids.length) return false;
      path = `/api/subscriptions/${plan.ids[nextRead++]!}`;
    } else {
      if (performance.now() >= stopAt) return false;
      pick = picker.next();
      if (!pick) {
        outOfRoom = true;
        return false;
      }
      path = `/api/subscriptions/${plan.ids[pick.index]!}/events`;
      body = JSON.stringify({ type: 'CHANGE_QUANTITY', quantity: pick.quantity });
    }
    const sent = performance.now();
    let success = false;
    try {
      const answer = await request(agent, base, body === undefined ? 'GET' : 'POST', path, body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) }, body);
      success = isSuccess(answer.status);
      if (!success) fail(`${answer.status} ${problemCode(answer.body)}`, `${answer.status} ${answer.body.slice(0, 400)}`);
      if (pick) picker.answered(pick, success ? 'accepted' : 'refused');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      fail(`no answer (${(error as { code?: string }).code ?? message})`, `no answer: ${message}`);
      if (pick) picker.answered(pick, 'unknown');
    }
    const answered = performance.now();
    if (window.contains(answered)) {
      latenciesMs.push(answered - sent);
      if (success) ok++;
    }
    return true;
  };

  const clients = Array.from({ length: plan.concurrency }, async (_, i) => {
    const agent = agents[i % agents.length]!;
    const base = bases[i % bases.length]!;
    while (await sendOne(agent, base));
  });
  await Promise.all(clients);
  clearTimeout(opening);
  clearTimeout(closing);
  // A read run ends when every id is read; a change run that ran out of room ends early.
  window.close();
  for (const agent of agents) agent.destroy();
  const measured = window.result();
  return {
    ok,
    seconds: measured.seconds,
    latenciesMs,
    failures,
    firstFailure,
    outOfRoom,
    generatorCpuSeconds: measured.ownCpuSeconds,
    serverCpuSeconds: measured.watchedCpuSeconds,
    serverMainThreadCpuSeconds: measured.watchedMainThreadCpuSeconds,
    serverProcesses: plan.serverPids.length,
    quantities: picker.current(),
  };
}

/** The problem+json `code` of a refusal, or what kind of body it was. */
function problemCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : '(no code)';
  } catch {
    return '(not JSON)';
  }
}
