import { NotFoundError } from '../errors.js';
import { computeExperimentResults, type VariantResult } from '../experiments/index.js';
import type { CourseRepository } from '../ports/repositories.js';
import type { CampaignContentRepository } from './campaign-ports.js';
import type { PickStats } from './campaign-types.js';
import { computeIncrementality, type IncrementalResult } from './incrementality.js';

/**
 * Experiment results per variant of a broadcast or retargeting rule: sent, conversions (a click or
 * purchase within the attribution window), rate, credible interval, chance of being best and a
 * z-test against the first variant; and per variant and picked course (`picks`: which course each
 * follower's own pick sent, how many and how many converted). A conversion is attributed to the last
 * marketing message the follower was sent before it, within that message's window. For a
 * broadcast, `incremental` compares the buying of the members it was sent to with that of the
 * members held out of it (its holdout and the global control group): lift with an interval, and
 * the buyers and revenue it added.
 *
 * @example
 * const { variants, picks } = await getCampaignResults({ content, courses }, 'broadcast', campaignId);
 * picks[0]; // { variant: 'A', courseId: '…', pick: 'recommended', sent: 120, conversions: 9, rate: 0.075, titleZh: 'Python 入门', titleEn: 'Python basics' }
 */
export async function getCampaignResults(
  deps: { content: CampaignContentRepository; courses?: Pick<CourseRepository, 'findById'> },
  source: 'broadcast' | 'retargeting',
  campaignId: string,
): Promise<{
  allocation: 'ab' | 'bandit';
  variants: VariantResult[];
  picks: Array<PickStats & { rate: number; titleZh: string | null; titleEn: string | null }>;
  incremental: IncrementalResult | null;
}> {
  const definition = (await deps.content.definitions(source, [campaignId])).get(campaignId);
  if (!definition) throw new NotFoundError('campaign_not_found', `No ${source === 'broadcast' ? 'broadcast' : 'retargeting rule'} with id ${campaignId}.`);
  const [variantStats, pickStats, arms] = await Promise.all([
    deps.content.variantStats(source, campaignId),
    deps.content.pickStats(source, campaignId),
    deps.content.arms(source, campaignId),
  ]);
  const stats = new Map(variantStats.map((s) => [s.variant, s]));
  const ordered = definition.variants.map((v) => stats.get(v.key) ?? { variant: v.key, sent: 0, conversions: 0 });
  const courses = new Map<string, { titleZh: string; titleEn: string } | null>();
  for (const id of new Set(pickStats.flatMap((p) => (p.courseId ? [p.courseId] : [])))) courses.set(id, deps.courses ? await deps.courses.findById(id) : null);
  const picks = pickStats.map((p) => {
    const course = p.courseId ? courses.get(p.courseId) : null;
    return { ...p, rate: p.sent > 0 ? p.conversions / p.sent : 0, titleZh: course?.titleZh ?? null, titleEn: course?.titleEn ?? null };
  });
  return { allocation: definition.allocation, variants: computeExperimentResults(ordered), picks, incremental: computeIncrementality(arms.sent, arms.heldOut) };
}
