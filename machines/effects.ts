/** The machines the registry knows, by name. */
export type MachineName = 'purchase' | 'subscription' | 'activation' | 'invoice';

/** The types of publisher webhooks (API.md "Publisher webhooks"). */
export type WebhookType =
  | 'subscription.activated'
  | 'subscription.quantity_changed'
  | 'subscription.past_due'
  | 'subscription.payment_recovered'
  | 'subscription.renewed'
  | 'subscription.deactivated';

/**
 * What a machine asks the world to do. Machines never do it themselves: every named
 * action carries one of these as its params, and the engine carries it out.
 * - `create` and `send` happen in the same transaction as the event that caused them;
 *   the engine stamps the input or event with that event's time.
 * - `webhook` and `charge` go to the outbox and run after the commit.
 */
export type Effect =
  | { readonly kind: 'create'; readonly machine: MachineName; readonly id: string; readonly input: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'send';
      readonly machine: MachineName;
      readonly id: string;
      readonly event: { readonly type: string } & Readonly<Record<string, unknown>>;
      /** When true, a target that refuses the event is left as it is instead of failing the whole change. */
      readonly optional?: boolean;
    }
  | { readonly kind: 'webhook'; readonly type: WebhookType }
  | { readonly kind: 'charge' };

/** The implementation behind every effect action: nothing, since the engine interprets the params. */
export function effect(_args: unknown, _params: Effect): void {}

/** Whether an action's params are an Effect. */
export function isEffect(params: unknown): params is Effect {
  return typeof params === 'object' && params !== null && 'kind' in params;
}
