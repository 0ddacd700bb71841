// Ids of instances that a machine creates are derived from its own id, so that the
// machine stays pure and a replay of its journal names the same instances again.

function bodyOf(id: string): string {
  const underscore = id.indexOf('_');
  return underscore === -1 ? id : id.slice(underscore + 1);
}

/** The activation (publisher handoff) instance of a subscription. */
export function activationIdOf(subscriptionId: string): string {
  return `act_${bodyOf(subscriptionId)}`;
}

/** The n-th invoice (1-based) a subscription issues. */
export function invoiceIdOf(subscriptionId: string, n: number): string {
  return `inv_${bodyOf(subscriptionId)}_${n}`;
}
