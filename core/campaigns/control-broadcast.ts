import { ConflictError, NotFoundError } from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import type { CampaignRepository } from './campaign-ports.js';
import type { Campaign, CampaignStatus } from './campaign-types.js';

export type BroadcastCommand = 'pause' | 'resume' | 'cancel';

const TRANSITIONS: Record<BroadcastCommand, { from: CampaignStatus[]; to: CampaignStatus }> = {
  pause: { from: ['scheduled', 'sending'], to: 'paused' },
  resume: { from: ['paused'], to: 'sending' },
  cancel: { from: ['scheduled', 'sending', 'paused'], to: 'cancelled' },
};

/**
 * Pauses, resumes or cancels a broadcast. Pausing stops the dispatcher from taking its messages
 * (in-flight ones finish); cancelling also marks every queued message cancelled.
 *
 * @example
 * await controlBroadcast({ campaigns, clock }, campaignId, 'pause');
 */
export async function controlBroadcast(deps: { campaigns: CampaignRepository; clock: Clock }, campaignId: string, command: BroadcastCommand): Promise<Campaign> {
  const rule = TRANSITIONS[command];
  const updated = await deps.campaigns.transition(campaignId, rule.from, rule.to);
  if (!updated) {
    const current = await deps.campaigns.findById(campaignId);
    if (!current) throw new NotFoundError('campaign_not_found', `No broadcast with id ${campaignId}.`);
    throw new ConflictError('invalid_transition', `Cannot ${command} a broadcast that is ${current.status}; allowed from: ${rule.from.join(', ')}.`);
  }
  if (command === 'cancel') await deps.campaigns.cancelQueued(campaignId, deps.clock.now());
  return updated;
}
