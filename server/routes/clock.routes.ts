import { ManualClock } from '../../engine/clock.js';
import { DomainError } from '../../engine/errors.js';
import { nextTimerDueAfter } from '../../storage/timers.repository.js';
import type { RouteModule } from '../router.js';
import { invalidField, validate } from '../validate.js';
import { clockAdvance } from '../validators.js';

/** The service clock; with the manual clock, moving it fires the timers that fall due. */
export const clockRoutes: RouteModule = (routes, ctx) => {
  const clock = ctx.runtime.clock;

  routes.define('GET /api/clock', async (_req, res) => {
    res.json({ mode: clock.mode, now: new Date(clock.now()).toISOString() });
  });

  routes.define('POST /api/clock/advance', async (req, res) => {
    if (!(clock instanceof ManualClock)) throw new DomainError('clock_not_manual', 'The service runs on the system clock; start it with CLOCK=manual to move time by hand.');
    const body = validate(clockAdvance, req.body);
    const to = 'ms' in body ? clock.now() + body.ms : Date.parse(body.to);
    if (to < clock.now()) throw invalidField('to', `must not be before the clock's time, ${new Date(clock.now()).toISOString()}`);
    // One due time at a time, running the outbox (charges, webhooks) in between: what a
    // timer's event caused happens at that event's time, as it would on the system clock,
    // so an invoice charged at issue is paid before its own due date comes round.
    let fired = 0;
    for (let next = await nextTimerDueAfter(ctx.database, clock.now()); next !== undefined && next <= to; next = await nextTimerDueAfter(ctx.database, clock.now())) {
      fired += (await ctx.runtime.advance(next)).fired;
      await ctx.dispatcher.runDue();
    }
    const last = await ctx.runtime.advance(to);
    // Webhook retries and charges follow the service clock too.
    await ctx.dispatcher.runDue();
    res.json({ now: new Date(last.now).toISOString(), fired: fired + last.fired });
  });
};
