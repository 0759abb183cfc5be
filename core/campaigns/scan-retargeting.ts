import { assignVariant } from '../experiments/index.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { GuardSettingsRepository, OutboxRepository, RetargetingRuleRepository } from './campaign-ports.js';
import type { OutboxEntry } from './campaign-types.js';
import { isInControlGroup } from './holdouts.js';

/**
 * One pass of retargeting: for every enabled rule, finds the followers it matches now and
 * enqueues one message per occasion (keyed, so rescans never duplicate), due after the rule's
 * delay. Guards (consent, caps, quiet hours) run at send time like for every marketing message.
 * A cross-sell offer keeps its reason (the association rule behind it) for the template. Followers
 * in the global control group (`settings.controlPercent`) are never enqueued.
 *
 * @example
 * const { enqueued } = await scanRetargeting({ rules, outbox, clock, logger }, { limitPerRule: 1000 });
 */
export async function scanRetargeting(
  deps: { rules: RetargetingRuleRepository; outbox: OutboxRepository; clock: Clock; logger: Logger; settings?: Pick<GuardSettingsRepository, 'get'> },
  options: { limitPerRule: number },
): Promise<{ enqueued: number; byRule: Record<string, { matched: number; enqueued: number }> }> {
  const now = deps.clock.now();
  const byRule: Record<string, { matched: number; enqueued: number }> = {};
  let enqueued = 0;
  const controlPercent = deps.settings ? (await deps.settings.get()).controlPercent : 0;
  for (const rule of await deps.rules.listEnabled()) {
    const candidates = (await deps.rules.findCandidates(rule, now, options.limitPerRule)).filter((c) => !isInControlGroup(c.followerId, controlPercent));
    const notBefore = new Date(now.getTime() + rule.delayMinutes * 60_000);
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
    byRule[rule.name] = { matched: candidates.length, enqueued: added };
    enqueued += added;
  }
  deps.logger.info({ enqueued, byRule }, 'retargeting scan finished');
  return { enqueued, byRule };
}
