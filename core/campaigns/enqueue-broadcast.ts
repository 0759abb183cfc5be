import { NotFoundError } from '../errors.js';
import { assignVariant } from '../experiments/index.js';
import { fromWallTime } from '../guards/index.js';
import type { Clock } from '../ports/runtime.js';
import type { AudienceRepository, CampaignRepository, GuardSettingsRepository, OutboxRepository } from './campaign-ports.js';
import type { AudienceMember, Campaign, HoldoutEntry, OutboxEntry } from './campaign-types.js';
import { bestSendTime } from './best-send-time.js';
import { holdoutReason } from './holdouts.js';

/** How far back a follower's activity counts for their best send time. */
const ACTIVITY_DAYS = 60;

/** The step key of a broadcast's one message per follower. */
export const BROADCAST_STEP = 'broadcast';

/**
 * Snapshots a broadcast's audience into the outbox, page by page: one row per follower (the unique
 * (follower, campaign, step) key makes a rerun after a crash add only what is missing), with the
 * sticky A/B variant (bandits choose at send time) and the time it may go out. Guards run later,
 * at send time, so an opt-out after planning still counts. Members in the global control group
 * (`settings.controlPercent`) or the broadcast's holdout are recorded as held out instead, with the
 * time they would have been sent: the baseline of the broadcast's incremental results.
 *
 * @example
 * const { enqueued, heldOut, audienceSize } = await enqueueBroadcast({ campaigns, audience, outbox, clock, settings }, campaignId);
 */
export async function enqueueBroadcast(
  deps: { campaigns: CampaignRepository; audience: AudienceRepository; outbox: OutboxRepository; clock: Clock; settings?: Pick<GuardSettingsRepository, 'get'> },
  campaignId: string,
  options: { pageSize?: number; onProgress?: (planned: number) => void } = {},
): Promise<{ enqueued: number; heldOut: number; audienceSize: number }> {
  const campaign = await deps.campaigns.findById(campaignId);
  if (!campaign) throw new NotFoundError('campaign_not_found', `No broadcast with id ${campaignId}.`);
  const now = deps.clock.now();
  const pageSize = options.pageSize ?? 5000;
  let after: string | null = null;
  const settings = deps.settings ? await deps.settings.get() : undefined;
  const controlPercent = settings?.controlPercent ?? 0;
  const quietHours = settings?.quietHours ?? { start: '00:00', end: '00:00' };
  const since = new Date(now.getTime() - ACTIVITY_DAYS * 86_400_000);
  let audienceSize = 0;
  let enqueued = 0;
  let heldOut = 0;
  for (;;) {
    const page: AudienceMember[] = await deps.audience.page(campaign.segment, now, { afterFollowerId: after, limit: pageSize });
    if (page.length === 0) break;
    const entries: OutboxEntry[] = [];
    const held: HoldoutEntry[] = [];
    const hours = campaign.sendMode === 'best_time' ? await deps.audience.activeHours(page.map((m) => m.followerId), since) : undefined;
    for (const member of page) {
      const at = hours ? bestSendTime(now, member.timeZone, hours.byFollower.get(member.followerId), hours.population, quietHours) : sendTimeFor(campaign, member, now);
      const reason = holdoutReason(campaign, member.followerId, controlPercent);
      if (reason) held.push({ campaignId: campaign.id, followerId: member.followerId, reason, heldAt: at });
      else entries.push(toEntry(campaign, member, at));
    }
    const [added, kept] = await Promise.all([entries.length ? deps.outbox.enqueue(entries) : 0, held.length ? deps.outbox.holdOut(held) : 0]);
    enqueued += added;
    heldOut += kept;
    audienceSize += page.length;
    after = page.at(-1)!.followerId;
    options.onProgress?.(audienceSize);
    if (page.length < pageSize) break;
  }
  await deps.campaigns.markEnqueued(campaign.id, audienceSize, now);
  if (campaign.status === 'scheduled') await deps.campaigns.transition(campaign.id, ['scheduled'], 'sending');
  return { enqueued, heldOut, audienceSize };
}

function toEntry(campaign: Campaign, member: AudienceMember, notBefore: Date): OutboxEntry {
  const variant = campaign.allocation === 'ab' ? assignVariant(campaign.id, member.followerId, campaign.variants) : null;
  const course = campaign.variants.find((v) => v.key === variant)?.courseId ?? (campaign.variants.length === 1 ? campaign.variants[0]!.courseId : undefined);
  return {
    followerId: member.followerId,
    source: 'broadcast',
    campaignId: campaign.id,
    step: BROADCAST_STEP,
    variant,
    courseId: course ?? null,
    notBefore,
  };
}

function sendTimeFor(campaign: Campaign, member: AudienceMember, now: Date): Date {
  if (campaign.sendMode === 'at' && campaign.sendAt) return campaign.sendAt > now ? campaign.sendAt : now;
  if (campaign.sendMode === 'follower_local' && campaign.localDate && campaign.localTime) {
    const [year, month, day] = campaign.localDate.split('-').map(Number) as [number, number, number];
    const [hour, minute] = campaign.localTime.split(':').map(Number) as [number, number];
    const at = fromWallTime({ year, month, day, hour, minute }, member.timeZone);
    return at > now ? at : now;
  }
  return now;
}
