import { NotFoundError } from '../errors.js';
import { computeExperimentResults, type VariantResult } from '../experiments/index.js';
import type { CampaignContentRepository } from './campaign-ports.js';

/**
 * Experiment results per variant of a broadcast or retargeting rule: sent, conversions (a click or
 * purchase within the attribution window), rate, credible interval, chance of being best and a
 * z-test against the first variant.
 *
 * @example
 * const variants = await getCampaignResults({ content }, 'broadcast', campaignId);
 */
export async function getCampaignResults(
  deps: { content: CampaignContentRepository },
  source: 'broadcast' | 'retargeting',
  campaignId: string,
): Promise<{ allocation: 'ab' | 'bandit'; variants: VariantResult[] }> {
  const definition = (await deps.content.definitions(source, [campaignId])).get(campaignId);
  if (!definition) throw new NotFoundError('campaign_not_found', `No ${source === 'broadcast' ? 'broadcast' : 'retargeting rule'} with id ${campaignId}.`);
  const stats = new Map((await deps.content.variantStats(source, campaignId)).map((s) => [s.variant, s]));
  const ordered = definition.variants.map((v) => stats.get(v.key) ?? { variant: v.key, sent: 0, conversions: 0 });
  return { allocation: definition.allocation, variants: computeExperimentResults(ordered) };
}
