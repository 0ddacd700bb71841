import type { RefusalCode } from './refusal-codes.js';

/**
 * One business rule behind a guard. A guard is an ordered list of rules; the first that
 * fails names the refusal, so the API's reason comes from here and nowhere else.
 */
export interface Rule<TArgs> {
  readonly code: RefusalCode;
  /** Whether the rule reads the event's payload. Rules that read only the context decide `allowedEvents`. */
  readonly needsPayload: boolean;
  readonly check: (args: TArgs) => boolean;
}

/** Guard name → the rules it checks, in order. */
export type GuardTable<TArgs> = Readonly<Record<string, readonly Rule<TArgs>[]>>;

/** XState guard implementations for a table: a guard passes when all its rules do. */
export function guardsFrom<TArgs, T extends GuardTable<TArgs>>(table: T): { [K in keyof T]: (args: TArgs) => boolean } {
  const guards = {} as { [K in keyof T]: (args: TArgs) => boolean };
  for (const name of Object.keys(table) as (keyof T)[]) {
    const rules = table[name] as readonly Rule<TArgs>[];
    guards[name] = (args) => rules.every((rule) => rule.check(args));
  }
  return guards;
}

/** A rule that reads only the context. */
export function stateRule<TArgs>(code: RefusalCode, check: (args: TArgs) => boolean): Rule<TArgs> {
  return { code, needsPayload: false, check };
}

/** A rule that reads the event's payload. */
export function payloadRule<TArgs>(code: RefusalCode, check: (args: TArgs) => boolean): Rule<TArgs> {
  return { code, needsPayload: true, check };
}
