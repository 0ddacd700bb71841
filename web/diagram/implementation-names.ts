// XState keeps actions and guards as the machine config gave them: a name, a
// `{ type, params }` object, a built-in action creator (a function carrying `type:
// 'xstate.*'`), a guard combinator (`and`/`or`/`not`, a function carrying `guards`) or an
// inline function. Diagrams and the API need one readable name for each.

type Described = { readonly type?: unknown; readonly id?: unknown; readonly sendId?: unknown; readonly guards?: unknown };

// Inline functions written as `actions: () => …` take their name from the config key,
// which says nothing about what they do.
const CONFIG_KEYS = new Set(['actions', 'guard', 'entry', 'exit']);

/** A readable name for one action of a transition or of a state's entry/exit. */
export function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (action === null || (typeof action !== 'object' && typeof action !== 'function')) return 'inline';
  const { type, id, sendId } = action as Described;
  if (typeof type !== 'string') return functionName(action);
  if (!type.startsWith('xstate.')) return type;
  const builtIn = type.slice('xstate.'.length);
  // raise and sendTo are identified by their id, cancel by the id it cancels.
  const ref = builtIn === 'cancel' ? sendId : id;
  return typeof ref === 'string' ? `${builtIn}(${ref})` : builtIn;
}

/** A readable name for a transition's guard, or null when it has none. */
export function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  const { type, guards } = guard as Described;
  if (typeof type === 'string') return type;
  if (Array.isArray(guards) && typeof guard === 'function') {
    // and / or / not are functions named after themselves that carry their operands.
    return `${guard.name}(${guards.map((g) => guardName(g) ?? 'inline').join(', ')})`;
  }
  return functionName(guard);
}

function functionName(value: object): string {
  const name = typeof value === 'function' ? value.name : '';
  return name !== '' && !CONFIG_KEYS.has(name) ? name : 'inline';
}

/**
 * Whether an action is bookkeeping XState adds for `after` transitions (a delayed raise
 * on entry, its cancel on exit); the delayed transition itself already shows it.
 */
export function isDelayBookkeeping(action: unknown): boolean {
  if (typeof action !== 'function') return false;
  const { type, id, sendId } = action as Described;
  const ref = type === 'xstate.cancel' ? sendId : type === 'xstate.raise' ? id : undefined;
  return typeof ref === 'string' && ref.startsWith('xstate.after.');
}
