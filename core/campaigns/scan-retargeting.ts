import { assignVariant } from '../experiments/index.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { GuardSettingsRepository, OutboxRepository, RetargetingRuleRepository } from './campaign-ports.js';
import type { OutboxEntry } from './campaign-types.js';
import { holdoutReason } from './holdouts.js';

/**
 * One pass of retargeting: for every enabled rule, finds the followers it matches now and
 * enqueues one message per occasion (keyed, so rescans never duplicate), due after the rule's
 * delay. Guards (consent, caps, quiet hours) run at send time like for every marketing message.
 * A cross-sell offer keeps its reason (the association rule behind it) for the template. Occasions
 * of followers in the global control group (`settings.controlPercent`) or in the rule's holdout
 * (`holdoutPercent`) are recorded as held out instead, with the time the message would have gone,
 * so the rule's results can show what it adds.
 *
 * @example
 * const { enqueued } = await scanRetargeting({ rules, outbox, clock, logger }, { limitPerRule: 1000 });
 */
export async function scanRetargeting(
  deps: { rules: RetargetingRuleRepository; outbox: OutboxRepository; clock: Clock; logger: Logger; settings?: Pick<GuardSettingsRepository, 'get'> },
  options: { limitPerRule: number },
): Promise<{ enqueued: number; byRule: Record<string, { matched: number; enqueued: number; heldOut: number }> }> {
  const now = deps.clock.now();
  const byRule: Record<string, { matched: number; enqueued: number; heldOut: number }> = {};
  let enqueued = 0;
  const controlPercent = deps.settings ? (await deps.settings.get()).controlPercent : 0;
  for (const rule of await deps.rules.listEnabled()) {
    const found = await deps.rules.findCandidates(rule, now, options.limitPerRule);
    const notBefore = new Date(now.getTime() + rule.delayMinutes * 60_000);
    const held = found.flatMap((c) => {
      const reason = holdoutReason({ id: rule.id, holdoutPercent: rule.holdoutPercent }, c.followerId, controlPercent);
      return reason ? [{ ruleId: rule.id, followerId: c.followerId, step: c.step, reason, heldAt: notBefore }] : [];
    });
    const heldIds = new Set(held.map((h) => `${h.followerId}:${h.step}`));
    const candidates = found.filter((c) => !heldIds.has(`${c.followerId}:${c.step}`));
    const heldOut = await deps.rules.holdOut(held);
    const entries: OutboxEntry[] = candidates.map((c) => ({
      followerId: c.followerId,
      source: 'retargeting',
      campaignId: rule.id,
      step: c.step,
      variant: rule.allocation === 'ab' ? assignVariant(rule.id, c.followerId, rule.variants) : null,
      courseId: c.courseId,
      notBefore,
      reason: c.reason ?? null,
    }));
    const byCoPurchase = candidates.filter((c) => c.reason?.source === 'co_purchase').length;
    if (byCoPurchase > 0) {
      deps.logger.info({ rule: rule.name, candidates: byCoPurchase }, 'cross-sell: no recommender model with association rules yet; offering by co-purchase counts of paid orders instead');
    }
    const added = entries.length > 0 ? await deps.outbox.enqueue(entries) : 0;
    byRule[rule.name] = { matched: found.length, enqueued: added, heldOut };
    enqueued += added;
  }
  deps.logger.info({ enqueued, byRule }, 'retargeting scan finished');
  return { enqueued, byRule };
}
