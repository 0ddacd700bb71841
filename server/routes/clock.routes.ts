import { ManualClock } from '../../engine/clock.js';
import { DomainError } from '../../engine/errors.js';
import { nextOutboxDueAfter } from '../../storage/outbox.repository.js';
import { nextTimerDueAfter } from '../../storage/timers.repository.js';
import type { RouteModule } from '../router.js';
import { invalidField, validate } from '../validate.js';
import { clockAdvance } from '../validators.js';

/** The service clock; with the manual clock, moving it fires the timers that fall due. */
export const clockRoutes: RouteModule = (routes, ctx) => {
  const clock = ctx.runtime.clock;
  const nextDueAfter = async (nowMs: number) => {
    const [timer, retry] = await Promise.all([nextTimerDueAfter(ctx.database, nowMs), nextOutboxDueAfter(ctx.database, nowMs)]);
    return timer === undefined ? retry : retry === undefined ? timer : Math.min(timer, retry);
  };

  routes.define('GET /api/clock', async (_req, res) => {
    res.json({ mode: clock.mode, now: new Date(clock.now()).toISOString() });
  });

  routes.define('POST /api/clock/advance', async (req, res) => {
    if (!(clock instanceof ManualClock)) throw new DomainError('clock_not_manual', 'The service runs on the system clock; start it with CLOCK=manual to move time by hand.');
    const body = validate(clockAdvance, req.body);
    const to = 'ms' in body ? clock.now() + body.ms : Date.parse(body.to);
    if (to < clock.now()) throw invalidField('to', `must not be before the clock's time, ${new Date(clock.now()).toISOString()}`);
    // One due time at a time, a timer's or an outbox retry's, running the outbox (charges,
    // webhooks) at each: what a timer's event caused happens at that event's time, as it
    // would on the system clock, so an invoice charged at issue is paid before its own due
    // date comes round, and a failing webhook is retried at each of its backoff times.
    let fired = 0;
    // Attempts under way (a first attempt right after a commit) end first and record when
    // they are due again, so that their retries are among the due times stepped through.
    await ctx.dispatcher.runDue();
    for (let next = await nextDueAfter(clock.now()); next !== undefined && next <= to; next = await nextDueAfter(clock.now())) {
      fired += (await ctx.runtime.advance(next)).fired;
      await ctx.dispatcher.runDue();
    }
    const last = await ctx.runtime.advance(to);
    await ctx.dispatcher.runDue();
    res.json({ now: new Date(last.now).toISOString(), fired: fired + last.fired });
  });
};
