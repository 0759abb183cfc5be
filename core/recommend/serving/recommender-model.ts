import type { ItemNeighbours } from '../algorithms/item-knn.js';
import { topK } from '../data/top-k.js';
import { RANKER_FEATURES, type RankerWeights } from '../ranking/ranker.js';
import type { AssociationRule } from '../rules/apriori.js';
import type { SegmentModel } from '../segments/segment-model.js';

export const RECOMMENDER_ARTIFACT_KIND = 'recommender';

/** The candidate generators a model can be built with (each can be switched off for an ablation). */
export const GENERATORS = ['item_cf', 'ease', 'rp3beta', 'content'] as const;
export type GeneratorName = (typeof GENERATORS)[number];

/**
 * Item → weighted neighbour lists as stored: the bytes of each typed array (offsets and items Int32,
 * sims Float32, little-endian) in base64. As JSON arrays, EASE's list alone (1,000,000 entries at
 * 5,000 courses) was ~23 MB of heap from the fit to the save, at the retrain's peak, and serving parsed
 * every number of it.
 */
export interface StoredNeighbours {
  offsets: string;
  items: string;
  sims: string;
}

/** How the served scorer was chosen: whichever of the trained ranker, the tuned blend and the untrained blend ranked the later window best. */
/** Each scorer a retrain can serve, in words (for the retrain log and `npm run eval`). */
export const SCORER_NAMES = { trained: 'the trained ranker', tuned_blend: 'the tuned blend', untrained_blend: 'the untrained blend' } as const;

export interface RankerChoice {
  kept: keyof typeof SCORER_NAMES;
  /** Why, in words (for the retrain log). */
  why: string;
  /** On the later (validation) window, of the trained ranker and of the untrained blend; null when not measured. */
  validationAuc: { trained: number | null; blend: number | null };
  /** Mean per-moment NDCG@10 over every candidate of the moment: what decides which is kept (`blend` is the untrained one). */
  validationNdcg: { trained: number | null; blend: number | null; tunedBlend: number | null };
  /** NDCG@10 on the later window of the kept scorer's lists after MMR, per λ tried. */
  mmrByLambda?: Record<string, number>;
  rows: { train: number; validation: number };
}

/**
 * The artifact format this code writes and serves; older ones are refused by {@link isServable}.
 * 4: neighbour lists as base64 bytes (3: as JSON arrays).
 */
export const RECOMMENDER_FORMAT_VERSION = 4;

/** How many precomputed candidates each list holds (see {@link PrecomputedCandidates}). */
export const PRECOMPUTED_CANDIDATES = { popular: 100, segmentPopular: 100, trending: 30 } as const;

/**
 * Item indices, best first, chosen at training time so serving never ranks a whole catalogue array
 * per request: the most popular overall, per segment (same order as `segmentPopularity`), and trending.
 */
export interface PrecomputedCandidates {
  popular: number[];
  segmentPopular: number[][];
  trending: number[];
}

/** What a retrain stores (JSON): everything serving needs, nothing it must recompute. */
export interface RecommenderArtifact {
  formatVersion: typeof RECOMMENDER_FORMAT_VERSION;
  trainedAt: string;
  /** Item index → course id for the arrays below. */
  courseIds: string[];
  /** Which candidate generators this model uses. */
  generators: GeneratorName[];
  /** Weighted interaction counts, scaled so the most popular course is 1. */
  popularity: number[];
  /** Time-decayed popularity (7-day half-life), scaled to 0…1. */
  trending: number[];
  /** Item-item cosine neighbours (item-kNN). */
  neighbours: StoredNeighbours;
  /** The strongest positive EASE weights per course; null when EASE is off or the catalogue is too large for it. */
  ease: StoredNeighbours | null;
  /** RP3β random-walk neighbours; null when off. */
  rp3beta: StoredNeighbours | null;
  segmentModel: SegmentModel | null;
  /** Per segment, popularity among its members scaled to 0…1 (same item order). */
  segmentPopularity: number[][];
  /** The candidates every follower gets (popular, segment popular, trending), as item indices. */
  candidates: PrecomputedCandidates;
  rules: AssociationRule[];
  ranker: RankerWeights;
  rankerChoice: RankerChoice | null;
  /** The MMR trade-off chosen on the later window; absent when there was too little to choose on (serving's default then). */
  mmrLambda?: number;
}

/** The artifact with lookups and typed arrays built once after loading. */
export interface RecommenderModel {
  artifact: RecommenderArtifact;
  indexOf: Map<string, number>;
  neighbours: ItemNeighbours;
  ease: ItemNeighbours | null;
  rp3beta: ItemNeighbours | null;
  generators: ReadonlySet<GeneratorName>;
  /** Course id → rules whose antecedent contains it. */
  rulesByAntecedent: Map<string, AssociationRule[]>;
}

/**
 * The candidate lists a model stores, taken from its popularity arrays once at training time.
 *
 * @example
 * const candidates = precomputeCandidates({ popularity, segmentPopularity, trending });
 */
export function precomputeCandidates(arrays: Pick<RecommenderArtifact, 'popularity' | 'segmentPopularity' | 'trending'>): PrecomputedCandidates {
  return {
    popular: topK(arrays.popularity, PRECOMPUTED_CANDIDATES.popular),
    segmentPopular: arrays.segmentPopularity.map((scores) => topK(scores, PRECOMPUTED_CANDIDATES.segmentPopular)),
    trending: topK(arrays.trending, PRECOMPUTED_CANDIDATES.trending),
  };
}

/**
 * Neighbour lists in their stored form. Similarities are rounded to 1e-5 as when they were stored as
 * JSON numbers, so serving reads the same Float32 values as it did then; no list is copied into a
 * JavaScript array.
 *
 * @example
 * const stored = storeNeighbours(itemNeighbours(matrix, { k: 50 })); // { offsets: 'AAAAAA…', items, sims }
 */
export function storeNeighbours(nb: ItemNeighbours): StoredNeighbours {
  const sims = new Float32Array(nb.similarities.length);
  for (let p = 0; p < sims.length; p++) {
    const rounded = Math.round(nb.similarities[p]! * 1e5) / 1e5;
    // As JSON numbers, -0 was written as 0 and NaN and ±Infinity as null, all read back as 0.
    sims[p] = Number.isFinite(rounded) && rounded !== 0 ? rounded : 0;
  }
  return { offsets: toBase64(nb.offsets), items: toBase64(nb.neighbours), sims: toBase64(sims) };
}

function loadNeighbours(nItems: number, stored: StoredNeighbours): ItemNeighbours {
  return { nItems, offsets: fromBase64(stored.offsets, Int32Array), neighbours: fromBase64(stored.items, Int32Array), similarities: fromBase64(stored.sims, Float32Array) };
}

/** A typed array's bytes in base64, in the platform's byte order (little-endian on x64 and arm64). */
function toBase64(values: Int32Array | Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** The values whose bytes `base64` holds, copied into a buffer of their own: a decoded Buffer may be a slice of Node's pool at an offset no Int32Array can start at. */
function fromBase64<T extends Int32Array<ArrayBuffer> | Float32Array<ArrayBuffer>>(base64: string, Typed: new (length: number) => T): T {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0) throw new RangeError(`stored neighbour list of ${bytes.length} bytes is not whole 4-byte values`);
  const values = new Typed(bytes.length / 4);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

/**
 * Whether a stored artifact can be served by this code: an artifact of an older format (another
 * feature list for the ranker) is refused, so serving falls back until the next retrain.
 */
export function isServable(artifact: { formatVersion?: unknown; ranker?: { w1?: unknown[]; hidden?: number } }): boolean {
  return artifact.formatVersion === RECOMMENDER_FORMAT_VERSION && (artifact.ranker?.w1?.length ?? 0) === RANKER_FEATURES.length * (artifact.ranker?.hidden ?? 0);
}

/**
 * Builds serving lookups from a stored artifact.
 *
 * @example
 * const model = hydrateModel(artifact.data as RecommenderArtifact);
 */
export function hydrateModel(artifact: RecommenderArtifact): RecommenderModel {
  const rulesByAntecedent = new Map<string, AssociationRule[]>();
  for (const rule of artifact.rules) {
    for (const id of rule.antecedent) rulesByAntecedent.set(id, [...(rulesByAntecedent.get(id) ?? []), rule]);
  }
  const nItems = artifact.courseIds.length;
  return {
    artifact,
    indexOf: new Map(artifact.courseIds.map((id, i) => [id, i])),
    neighbours: loadNeighbours(nItems, artifact.neighbours),
    ease: artifact.ease ? loadNeighbours(nItems, artifact.ease) : null,
    rp3beta: artifact.rp3beta ? loadNeighbours(nItems, artifact.rp3beta) : null,
    generators: new Set(artifact.generators),
    rulesByAntecedent,
  };
}
