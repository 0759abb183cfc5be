import type { Course } from '../catalog/course.js';
import type { Follower } from '../followers/follower.js';
import { toWallTime } from '../guards/zoned-time.js';
import { NotFoundError } from '../errors.js';
import type { Persona } from '../persona/index.js';
import type {
  Clock, CourseRepository, EntitlementRepository, FollowerRepository, InteractionRepository, Logger, ModelArtifactRepository,
  Recommendation, RecommendOptions, Recommender,
} from '../ports/index.js';
import { cosine } from './algorithms/content-tfidf.js';
import { defaultRankerWeights } from './ranking/ranker.js';
import { mmr } from './rerank/mmr.js';
import { indexCatalogue, type CatalogueIndex } from './serving/catalogue-index.js';
import { hydrateModel, RECOMMENDER_ARTIFACT_KIND, type RecommenderArtifact, type RecommenderModel } from './serving/recommender-model.js';
import { scoreCandidates } from './serving/score-candidates.js';

export interface CreateRecommenderDeps {
  followers: Pick<FollowerRepository, 'findById'>;
  courses: Pick<CourseRepository, 'list'>;
  entitlements: Pick<EntitlementRepository, 'ownedCourseIds'>;
  interactions: Pick<InteractionRepository, 'followerHistory'>;
  artifacts: Pick<ModelArtifactRepository, 'latest' | 'latestVersion'>;
  /** The follower's persona (interests from onboarding and chat, price band); e.g. `(follower) => personaOf({ events, clock }, follower)`. */
  persona: (follower: Follower) => Promise<Persona | null>;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface RecommenderTuning {
  /** How often the newest artifact version and the catalogue are re-read. */
  refreshMs?: number;
  /** Events read per request (live history). */
  historyLimit?: number;
  /** MMR trade-off: 1 = pure relevance. */
  mmrLambda?: number;
}

/**
 * The production recommender behind the Recommender port. Serving never trains: it loads the newest
 * artifact (re-checking the version every `refreshMs`), reads the follower's live history from the
 * event log on every request (so a new event changes the picks at once), scores candidates with the
 * ranker, removes owned/unavailable/off-band courses, diversifies with MMR and explains each pick.
 * Without an artifact yet, content, interests and catalogue order still work (labelled).
 *
 * @example
 * const recommender = createRecommender({ followers, courses, entitlements, interactions, artifacts, persona, clock, logger });
 * const picks = await recommender.recommend(followerId, { limit: 3 });
 */
export function createRecommender(deps: CreateRecommenderDeps, tuning: RecommenderTuning = {}): Recommender {
  const refreshMs = tuning.refreshMs ?? 60_000;
  let model: RecommenderModel | null = null;
  let modelVersion: number | null = null;
  let catalogue: CatalogueIndex | null = null;
  let checkedAt = -Infinity;
  let refreshing: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    const version = await deps.artifacts.latestVersion(RECOMMENDER_ARTIFACT_KIND);
    if (version !== null && version !== modelVersion) {
      const artifact = await deps.artifacts.latest(RECOMMENDER_ARTIFACT_KIND);
      if (artifact) {
        model = hydrateModel(artifact.data as RecommenderArtifact);
        modelVersion = artifact.version;
        deps.logger.info({ version: artifact.version }, 'recommender model loaded');
      }
    }
    catalogue = indexCatalogue(await onSaleCourses(deps.courses));
    checkedAt = deps.clock.now().getTime();
  }

  async function ensureFresh(): Promise<CatalogueIndex> {
    if (!catalogue || deps.clock.now().getTime() - checkedAt > refreshMs) {
      // One refresh at a time; concurrent requests wait for the same one.
      refreshing ??= refresh().finally(() => (refreshing = null));
      await refreshing;
    }
    return catalogue!;
  }

  return {
    async recommend(followerId: string, options: RecommendOptions): Promise<Recommendation[]> {
      const limit = Math.max(0, Math.min(options.limit, 50));
      const follower = options.follower?.id === followerId ? options.follower : await deps.followers.findById(followerId);
      if (!follower) throw new NotFoundError('follower_not_found', `No follower with id ${followerId}; recommendations need a known follower.`);
      // Independent reads, issued together: the request waits for one round trip.
      const isPersonal = follower.hasPersonalizationConsent;
      const [index, owned, history, persona] = await Promise.all([
        ensureFresh(),
        deps.entitlements.ownedCourseIds(followerId),
        isPersonal ? deps.interactions.followerHistory(followerId, tuning.historyLimit ?? 200) : [],
        isPersonal ? deps.persona(follower) : null,
      ]);
      const excluded = new Set([...owned, ...(options.excludeCourseIds ?? [])]);
      if (!isPersonal) return nonPersonalised(model, index, excluded, limit);
      const now = deps.clock.now();
      const hour = toWallTime(now, follower.timeZone).hour;
      const ranked = scoreCandidates(model, index, { history, interests: persona?.interests ?? [], priceBand: persona?.priceBand ?? 'unknown', now, hour }, excluded, (model as RecommenderModel | null)?.artifact.ranker ?? defaultRankerWeights());
      const similarity = (a: string, b: string) => {
        const va = index.content.vectors[index.content.byId.get(a) ?? -1];
        const vb = index.content.vectors[index.content.byId.get(b) ?? -1];
        return va && vb ? cosine(va, vb) : 0;
      };
      return mmr(ranked.slice(0, Math.max(limit * 5, 20)), limit, tuning.mmrLambda ?? 0.75, similarity).map((c) => ({ courseId: c.id, score: round(c.score), reason: c.reason, source: c.source }));
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** PIPL: no personal data used — global popularity (or newest courses), labelled as such. */
function nonPersonalised(model: RecommenderModel | null, index: CatalogueIndex, excluded: ReadonlySet<string>, limit: number): Recommendation[] {
  const popularity = new Map(model ? model.artifact.courseIds.map((id, i) => [id, model.artifact.popularity[i]!] as const) : []);
  return [...index.courses.values()]
    .filter((c) => !excluded.has(c.id))
    .map((c) => ({ c, score: popularity.get(c.id) ?? 0 }))
    .sort((a, b) => b.score - a.score || b.c.createdAt.getTime() - a.c.createdAt.getTime() || a.c.id.localeCompare(b.c.id))
    .slice(0, limit)
    .map(({ c, score }) => ({ courseId: c.id, score: round(score), reason: { code: 'non_personalised_popular', params: {} }, source: 'popularity' }));
}

async function onSaleCourses(courses: Pick<CourseRepository, 'list'>): Promise<Course[]> {
  const all: Course[] = [];
  for (let page = 1; ; page++) {
    const result = await courses.list({ page, pageSize: 500, status: 'on_sale' });
    all.push(...result.items.filter((c) => c.status === 'on_sale'));
    if (result.items.length < 500 || all.length >= result.total) return all;
  }
}
