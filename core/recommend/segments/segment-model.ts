import type { FollowerProfile } from './follower-features.js';
import { chooseKBySilhouette } from './kmeans.js';

export interface Segment {
  id: number;
  nameEn: string;
  nameZh: string;
  /** The traits that name the segment, strongest first, with their z-scores. */
  traits: Array<{ feature: string; z: number }>;
  size: number;
}

/** Serialisable segment model: standardisation, centroids and names. */
export interface SegmentModel {
  featureNames: string[];
  topTags: string[];
  means: number[];
  stds: number[];
  centroids: number[][];
  silhouette: number;
  segments: Segment[];
}

const BASE_FEATURES = ['activity', 'purchases', 'recency', 'price', 'night'] as const;
const TRAIT_NAMES: Record<string, { en: string; zh: string; lowEn?: string; lowZh?: string }> = {
  activity: { en: 'very active', zh: '高活跃', lowEn: 'occasional', lowZh: '偶尔来访' },
  purchases: { en: 'buyers', zh: '已付费', lowEn: 'not yet buying', lowZh: '未付费' },
  recency: { en: 'drifting away', zh: '沉睡中', lowEn: 'recently active', lowZh: '近期活跃' },
  price: { en: 'premium taste', zh: '偏好高价课', lowEn: 'budget-minded', lowZh: '偏好低价课' },
  night: { en: 'night owls', zh: '夜猫子' },
};

/** The raw feature vector of a profile (before standardisation). */
export function profileVector(p: FollowerProfile, topTags: readonly string[]): number[] {
  return [
    Math.log1p(p.events),
    Math.log1p(p.purchases),
    Math.min(p.recencyDays, 90) / 90,
    Math.log1p(p.medianPriceMinor / 100),
    p.nightShare,
    ...topTags.map((t) => p.tagShares.get(t) ?? 0),
  ];
}

/**
 * Behaviour segments: K-means on standardised profile features, k chosen by silhouette, each segment
 * named by its most distinctive traits (largest centroid z-scores).
 *
 * @example
 * const model = buildSegmentModel([...profiles.values()], { maxK: 6 }); model.segments[0].nameEn // 'buyers · python fans'
 */
export function buildSegmentModel(profiles: readonly FollowerProfile[], options: { maxK?: number; seed?: number; topTagCount?: number } = {}): SegmentModel | null {
  if (profiles.length < 4) return null;
  const tagTotals = new Map<string, number>();
  for (const p of profiles) for (const [t, s] of p.tagShares) tagTotals.set(t, (tagTotals.get(t) ?? 0) + s);
  const topTags = [...tagTotals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, options.topTagCount ?? 6).map(([t]) => t);
  const featureNames = [...BASE_FEATURES, ...topTags.map((t) => `tag:${t}`)];
  const raw = profiles.map((p) => profileVector(p, topTags));
  const dims = featureNames.length;
  const means = Array.from({ length: dims }, (_, d) => raw.reduce((s, v) => s + v[d]!, 0) / raw.length);
  const stds = Array.from({ length: dims }, (_, d) => Math.sqrt(raw.reduce((s, v) => s + (v[d]! - means[d]!) ** 2, 0) / raw.length) || 1);
  const points = raw.map((v) => v.map((x, d) => (x - means[d]!) / stds[d]!));
  const result = chooseKBySilhouette(points, { maxK: options.maxK ?? 8, seed: options.seed ?? 1 });
  const sizes = new Array<number>(result.k).fill(0);
  for (const a of result.assignments) sizes[a]! += 1;
  const segments = result.centroids.map((c, id) => {
    const traits = c
      .map((z, d) => ({ feature: featureNames[d]!, z }))
      .filter((t) => Math.abs(t.z) >= 0.5 && (t.z > 0 || TRAIT_NAMES[t.feature]?.lowEn))
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
      .slice(0, 2);
    const label = (t: { feature: string; z: number }, lang: 'en' | 'zh') => {
      if (t.feature.startsWith('tag:')) return lang === 'en' ? `${t.feature.slice(4)} fans` : `${t.feature.slice(4)}爱好者`;
      const names = TRAIT_NAMES[t.feature]!;
      return t.z > 0 ? names[lang] : (lang === 'en' ? names.lowEn : names.lowZh) ?? names[lang];
    };
    return {
      id,
      nameEn: traits.map((t) => label(t, 'en')).join(' · ') || 'typical followers',
      nameZh: traits.map((t) => label(t, 'zh')).join(' · ') || '普通关注者',
      traits: traits.map((t) => ({ feature: t.feature, z: Math.round(t.z * 100) / 100 })),
      size: sizes[id]!,
    };
  });
  return { featureNames, topTags, means, stds, centroids: result.centroids, silhouette: result.silhouette, segments };
}

/** The segment a profile falls in (nearest centroid). */
export function assignSegment(model: SegmentModel, profile: FollowerProfile): number {
  const v = profileVector(profile, model.topTags).map((x, d) => (x - model.means[d]!) / model.stds[d]!);
  let best = 0;
  let bestD = Infinity;
  model.centroids.forEach((c, j) => {
    const d = c.reduce((s, x, i) => s + (x - v[i]!) ** 2, 0);
    if (d < bestD) [best, bestD] = [j, d];
  });
  return best;
}
