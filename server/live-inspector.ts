import type { UnitResult } from '../engine/unit-of-work.js';
import type { InstanceRecord } from '../engine/instance.js';
import { MACHINES } from '../machines/index.js';

/** XState's snapshot statuses. */
type SnapshotStatus = 'active' | 'done' | 'error' | 'stopped';

/** A snapshot as the inspector shows it. */
export interface InspectedSnapshot {
  readonly status: SnapshotStatus;
  readonly value: unknown;
  readonly context?: unknown;
}

/** An actor as the inspector takes it: an id, and the machine whose definition it draws. */
export interface InspectedActor {
  readonly sessionId: string;
  readonly logic: { readonly config: unknown };
  send(): void;
  getSnapshot(): InspectedSnapshot;
}

/**
 * The slice of `@statelyai/inspect`'s Inspector used here (its WebSocket inspector is
 * one), so that this module does not depend on the package and a test can record calls.
 */
export interface InspectorSink {
  actor(actor: InspectedActor, snapshot: InspectedSnapshot, info?: { parentId?: string }): void;
  event(target: string, event: { type: string }, info?: { source?: string }): void;
  snapshot(target: string, snapshot: InspectedSnapshot, info?: { event?: { type: string } }): void;
}

/** The commit hook of the engine (its only part this needs). */
export interface CommitSource {
  onCommit(listener: (results: readonly UnitResult[]) => void): () => void;
}

// Instances live in the database, not as running actors: the engine computes each event
// with XState's pure `transition`. So the inspector is told afterwards, from what each
// committed unit wrote: an actor when an instance is first seen (with its machine's
// definition, so the inspector can draw it), then per journal entry the event and the
// snapshot it led to. Only the last entry of a unit has its context at hand: earlier
// ones of the same instance show the state value alone.

function parentOf(record: InstanceRecord): string | undefined {
  const c = record.persisted.context;
  const parent = record.machine === 'subscription' ? c.purchaseId : record.machine === 'purchase' ? undefined : c.subscriptionId;
  return typeof parent === 'string' ? parent : undefined;
}

function statusOf(record: InstanceRecord): SnapshotStatus {
  const status = record.persisted.status;
  return status === 'done' || status === 'error' || status === 'stopped' ? status : 'active';
}

function actorOf(record: InstanceRecord): InspectedActor {
  const snapshot = { status: statusOf(record), value: record.persisted.value, context: record.persisted.context };
  return { sessionId: record.id, logic: { config: MACHINES[record.machine].machine.config }, send: () => undefined, getSnapshot: () => snapshot };
}

/**
 * Stream every committed change of every instance to an inspector. Off the hot path: the
 * commit only queues its results; they are reported on a later turn of the event loop.
 * Returns the function that stops it.
 */
export function attachInspector(engine: CommitSource, inspector: InspectorSink): () => void {
  const announced = new Set<string>();
  let queue: (readonly UnitResult[])[] = [];
  let scheduled: NodeJS.Immediate | undefined;

  const report = (result: UnitResult) => {
    const lastSeq = new Map(result.changeset.journal.map((j) => [j.instanceId, j.seq]));
    for (const entry of result.changeset.journal) {
      const record = result.touched.get(entry.instanceId);
      if (!record) continue;
      if (!announced.has(record.id)) {
        // Sessions are never forgotten by the inspector either; bound what is kept here.
        if (announced.size > 100_000) announced.clear();
        announced.add(record.id);
        inspector.actor(actorOf(record), { status: 'active', value: entry.seq === 1 ? entry.to : entry.from }, { parentId: parentOf(record) });
      }
      const event = { ...entry.event, type: String(entry.event.type) };
      if (entry.seq > 1) inspector.event(record.id, event, { source: entry.principalId });
      const last = lastSeq.get(record.id) === entry.seq;
      inspector.snapshot(record.id, { status: last ? statusOf(record) : 'active', value: entry.to, ...(last ? { context: record.persisted.context } : {}) }, { event });
    }
  };
  const flush = () => {
    scheduled = undefined;
    const batches = queue;
    queue = [];
    for (const results of batches) for (const result of results) report(result);
  };
  const detach = engine.onCommit((results) => {
    queue.push(results);
    scheduled ??= setImmediate(flush);
  });
  return () => {
    detach();
    if (scheduled) clearImmediate(scheduled);
    flush();
  };
}
