import type { RefusalCode } from '../machines/index.js';

/** A failure with one of API.md's codes; `server/problem.ts` alone maps codes to statuses. */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The machine refused the event: nothing was written. */
export class EventRefusedError extends EngineError {
  constructor(
    readonly refusal: RefusalCode,
    readonly machine: string,
    readonly state: unknown,
    readonly allowedEvents: readonly string[],
    readonly eventType: string,
  ) {
    super(refusal, `The ${machine} in state ${JSON.stringify(state)} does not accept ${eventType}.`);
  }
}

/** No instance with that id. */
export class InstanceNotFoundError extends EngineError {
  constructor(readonly instanceId: string) {
    super('not_found', `No instance ${instanceId}.`);
  }
}

/** The caller expected another version (If-Match), or another writer got there first. */
export class VersionConflictError extends EngineError {
  constructor(
    readonly instanceId: string,
    readonly currentVersion: number,
  ) {
    super('version_conflict', `Instance ${instanceId} is at version ${currentVersion}.`);
  }
}

/** A domain rule refused a request (an unknown plan, a profile of another tenant, …). */
export class DomainError extends EngineError {
  constructor(
    code: string,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(code, message);
  }
}
