import type { EventObject } from 'xstate';
import type { Effect, MachineName } from '../machines/index.js';
import { MACHINES, accepts, allowedEvents, isEffect, refusalOf } from '../machines/index.js';
import type { Changeset, TimerEntry } from './changeset.js';
import { emptyChangeset } from './changeset.js';
import { EngineError, EventRefusedError, InstanceNotFoundError, VersionConflictError } from './errors.js';
import type { InstanceRecord } from './instance.js';
import { persist, snapshotOf } from './instance.js';
import { pureInitialTransition, pureTransition } from './pure-transition.js';

/** What a unit of work starts from: an event for an instance, a new instance, or a due timer. */
export type Command =
  | {
      readonly kind: 'send';
      readonly instanceId: string;
      readonly event: EventObject & Record<string, unknown>;
      readonly principalId: string;
      readonly at: string;
      /** The version the caller saw (If-Match); refused with version_conflict when stale. */
      readonly expectedVersion?: number;
    }
  | {
      readonly kind: 'create';
      readonly machine: MachineName;
      readonly id: string;
      readonly input: Readonly<Record<string, unknown>>;
      readonly principalId: string;
      readonly at: string;
    }
  | { readonly kind: 'fire'; readonly timer: TimerEntry };

/** Looks an instance up for a unit of work; undefined when it does not exist. */
export type ReadInstance = (id: string) => InstanceRecord | undefined;

/** Whether an instance is known to exist, without loading anything. */
export type KnowsInstance = (id: string) => boolean;

/** What a unit of work needs from outside: fresh ids and the body of a webhook. */
export interface UnitDeps {
  readonly newId: (prefix: string) => string;
  readonly webhookData: (record: InstanceRecord) => Readonly<Record<string, unknown>>;
}

/** The result of a unit: what to write, and every touched instance as it ends up. */
export interface UnitResult {
  readonly changeset: Changeset;
  readonly touched: ReadonlyMap<string, InstanceRecord>;
  /** The instance the command was about, after the unit. */
  readonly primary: InstanceRecord;
}

type Work =
  | { kind: 'create'; machine: MachineName; id: string; input: Readonly<Record<string, unknown>> }
  | { kind: 'send'; id: string; event: EventObject & Record<string, unknown>; optional: boolean; expectedVersion?: number };

// A cascade longer than this is a loop between machines, not a business process.
const MAX_CASCADE = 10_000;

/**
 * Compute one command and every change it causes in other instances (creations and
 * messages), as one changeset. Pure apart from `deps.newId`: nothing is written, so a
 * refusal anywhere leaves nothing behind, and the computation can be retried.
 */
export function computeUnit(command: Command, read: ReadInstance, deps: UnitDeps, knows: KnowsInstance = () => false): UnitResult {
  const principalId = command.kind === 'fire' ? 'system' : command.principalId;
  const at = command.kind === 'fire' ? new Date(command.timer.dueMs).toISOString() : command.at;
  const changeset = emptyChangeset();
  const touched = new Map<string, InstanceRecord>();
  const timers = new Map<string, TimerEntry | { instanceId: string; timerId: string; cleared: true }>();
  const get = (id: string) => touched.get(id) ?? read(id);

  const queue: Work[] = [];
  if (command.kind === 'create') queue.push({ kind: 'create', machine: command.machine, id: command.id, input: command.input });
  else if (command.kind === 'send')
    queue.push({ kind: 'send', id: command.instanceId, event: command.event, optional: false, expectedVersion: command.expectedVersion });
  else {
    queue.push({ kind: 'send', id: command.timer.instanceId, event: { ...command.timer.event, type: String(command.timer.event.type) }, optional: false });
    changeset.timersFired.push({ instanceId: command.timer.instanceId, timerId: command.timer.timerId, firedAt: at });
  }
  const primaryId = queue[0]!.id;

  for (let steps = 0; queue.length > 0; steps++) {
    if (steps > MAX_CASCADE) throw new EngineError('internal', `cascade from ${primaryId} did not end`);
    const work = queue.shift()!;
    const outcome = work.kind === 'create' ? create(work) : send(work);
    if (outcome) apply(outcome.record, outcome.actions);
  }

  function create(work: Extract<Work, { kind: 'create' }>) {
    // No read for a new id: that would queue behind the commit under way. A duplicate is
    // still refused, by the journal's key (instance_id, seq 1), and fails the unit.
    if (touched.has(work.id) || knows(work.id)) throw new EngineError('internal', `instance ${work.id} already exists`);
    const input = { ...work.input, at };
    const [snapshot, actions] = pureInitialTransition(MACHINES[work.machine].machine, input);
    const record: InstanceRecord = { id: work.id, machine: work.machine, version: 1, persisted: persist(work.machine, snapshot), createdAt: at, updatedAt: at };
    changeset.created.push(record);
    changeset.journal.push({ instanceId: work.id, seq: 1, event: { type: 'xstate.init', input }, principalId, from: null, to: snapshot.value, at });
    return { record, actions };
  }

  function send(work: Extract<Work, { kind: 'send' }>) {
    const current = get(work.id);
    if (!current) {
      if (work.optional) return undefined;
      throw new InstanceNotFoundError(work.id);
    }
    if (work.expectedVersion !== undefined && work.expectedVersion !== current.version) {
      throw new VersionConflictError(work.id, current.version);
    }
    const entry = MACHINES[current.machine];
    const snapshot = snapshotOf(current);
    const event = { ...work.event, at };
    if (!accepts(snapshot, event)) {
      if (work.optional) return undefined;
      throw new EventRefusedError(refusalOf(entry, snapshot, event), entry.name, snapshot.value, allowedEvents(entry, snapshot, entry.clientEvents), event.type);
    }
    const [next, actions] = pureTransition(entry.machine, snapshot, event);
    // Every record is built with the same literal shape (as recordOf and create build them):
    // a spread copy that then redefines properties takes V8's slow path, and its objects
    // would make the engine's and the views' property reads polymorphic.
    const record: InstanceRecord = {
      id: current.id,
      machine: current.machine,
      version: current.version + 1,
      persisted: persist(current.machine, next),
      createdAt: current.createdAt,
      updatedAt: at,
    };
    const created = changeset.created.findIndex((r) => r.id === record.id);
    if (created !== -1) changeset.created[created] = record;
    else {
      const updated = changeset.updated.find((u) => u.record.id === record.id);
      if (updated) updated.record = record;
      else changeset.updated.push({ record, expectedVersion: current.version, previous: current });
    }
    changeset.journal.push({ instanceId: record.id, seq: record.version, event, principalId, from: snapshot.value, to: next.value, at });
    return { record, actions };
  }

  function apply(record: InstanceRecord, actions: readonly { type: string; params?: unknown }[]) {
    touched.set(record.id, record);
    for (const action of actions) {
      if (action.type === 'xstate.raise') {
        const { event, id, delay } = action.params as { event: Record<string, unknown>; id?: string; delay?: number };
        // A raise without a delay is handled inside XState's own macrostep.
        if (delay === undefined) continue;
        const timerId = id ?? String(event.type);
        timers.set(`${record.id}\u0000${timerId}`, { instanceId: record.id, timerId, event, dueMs: Date.parse(at) + delay });
      } else if (action.type === 'xstate.cancel') {
        const { sendId } = action.params as { sendId: string };
        timers.set(`${record.id}\u0000${sendId}`, { instanceId: record.id, timerId: sendId, cleared: true });
      } else if (isEffect(action.params)) {
        perform(record, action.params);
      }
    }
  }

  function perform(record: InstanceRecord, effect: Effect) {
    switch (effect.kind) {
      case 'create':
        queue.push({ kind: 'create', machine: effect.machine, id: effect.id, input: effect.input });
        return;
      case 'send':
        queue.push({ kind: 'send', id: effect.id, event: { ...effect.event }, optional: effect.optional ?? false });
        return;
      case 'webhook': {
        const context = record.persisted.context;
        const id = deps.newId('dlv');
        changeset.outbox.push({
          id,
          kind: 'webhook',
          instanceId: record.id,
          createdAt: at,
          payload: {
            id,
            type: effect.type,
            subscriptionId: record.id,
            appId: context.appId,
            tenantId: context.tenantId,
            publisherId: context.publisherId,
            occurredAt: at,
            version: record.version,
            data: deps.webhookData(record),
          },
        });
        return;
      }
      case 'charge': {
        const context = record.persisted.context;
        changeset.outbox.push({
          id: deps.newId('chg'),
          kind: 'charge',
          instanceId: record.id,
          createdAt: at,
          payload: { invoiceId: record.id, billingProfileId: context.billingProfileId, total: context.total },
        });
        return;
      }
    }
  }

  for (const timer of timers.values()) {
    if ('cleared' in timer) changeset.timersCleared.push({ instanceId: timer.instanceId, timerId: timer.timerId });
    else changeset.timersSet.push(timer);
  }
  return { changeset, touched, primary: touched.get(primaryId)! };
}
