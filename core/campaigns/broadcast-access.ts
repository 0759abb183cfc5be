import type { Principal } from '../accounts/index.js';
import { NotFoundError } from '../errors.js';
import type { CampaignRepository } from './campaign-ports.js';
import type { Campaign } from './campaign-types.js';

/** What `campaigns.created_by` holds for the configured admin API token, which has no account. */
export const ADMIN_TOKEN_OWNER = 'admin';

/**
 * The owner a caller's broadcasts are stored with: its account id, or `'admin'` for the admin API token.
 *
 * @example
 * broadcastOwnerOf({ id: null, role: 'admin', actor: 'admin-api-token' }); // 'admin'
 */
export function broadcastOwnerOf(principal: Principal): string {
  return principal.id ?? ADMIN_TOKEN_OWNER;
}

/** Whether a caller may see and control a broadcast: admins every one, creators those they created. */
export function canManageBroadcast(principal: Principal, campaign: Pick<Campaign, 'createdBy'>): boolean {
  return principal.role === 'admin' || (principal.id !== null && principal.id === campaign.createdBy);
}

/**
 * The broadcast with this id if the caller may manage it. Another creator's broadcast answers
 * exactly like a missing one, so a creator cannot learn which ids exist.
 *
 * @example
 * const campaign = await findManagedBroadcast({ campaigns }, principal, id); // throws NotFoundError otherwise
 */
export async function findManagedBroadcast(deps: { campaigns: Pick<CampaignRepository, 'findById'> }, principal: Principal, id: string): Promise<Campaign> {
  const campaign = await deps.campaigns.findById(id);
  if (!campaign || !canManageBroadcast(principal, campaign)) throw new NotFoundError('campaign_not_found', `No broadcast with id ${id}.`);
  return campaign;
}
