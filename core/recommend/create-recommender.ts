import type { Course } from '../catalog/course.js';
import type { Follower } from '../followers/follower.js';
import { toWallTime } from '../guards/zoned-time.js';
import { NotFoundError } from '../errors.js';
import type { Persona } from '../persona/index.js';
import type {
  Clock, CourseRepository, EntitlementRepository, FollowerRepository, InteractionRepository, Logger, ModelArtifactRepository,
  Recommendation, RecommendOptions, Recommender,
} from '../ports/index.js';
import { indexCatalogue, type CatalogueIndex } from './serving/catalogue-index.js';
import { rankForFollower } from './serving/rank-for-follower.js';
import { hydrateModel, isServable, RECOMMENDER_ARTIFACT_KIND, type RecommenderArtifact, type RecommenderModel } from './serving/recommender-model.js';

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
 * `options.configuration` (a recommender experiment's variant) varies ranker, diversity and generators for that call.
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
      if (artifact && isServable(artifact.data as RecommenderArtifact)) {
        model = hydrateModel(artifact.data as RecommenderArtifact);
        modelVersion = artifact.version;
        deps.logger.info({ version: artifact.version }, 'recommender model loaded');
      } else if (artifact) {
        // Written by an older release (another ranker feature list): serve without it until the next retrain.
        modelVersion = artifact.version;
        deps.logger.warn({ version: artifact.version }, 'recommender artifact has an older format; serving content and interests until the model-retrain job writes a new one');
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
      const signals = { history, interests: persona?.interests ?? [], priceBand: persona?.priceBand ?? 'unknown', now, hour } as const;
      return rankForFollower(model, index, signals, excluded, limit, tuning.mmrLambda, options.configuration);
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
