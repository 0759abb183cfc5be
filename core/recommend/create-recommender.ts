import type { Course } from '../catalog/course.js';
import { INTEREST_HALF_LIFE_DAYS } from '../followers/interest.js';
import { toWallTime } from '../guards/zoned-time.js';
import { NotFoundError } from '../errors.js';
import { computePersona } from '../persona/index.js';
import type {
  Clock, CourseRepository, Logger, ModelArtifactRepository, Recommendation, RecommendOptions, Recommender, ServingSignalsReader,
} from '../ports/index.js';
import { indexCatalogue, type CatalogueIndex } from './serving/catalogue-index.js';
import { rankForFollower } from './serving/rank-for-follower.js';
import { hydrateModel, isServable, RECOMMENDER_ARTIFACT_KIND, type RecommenderArtifact, type RecommenderModel } from './serving/recommender-model.js';

export interface CreateRecommenderDeps {
  courses: Pick<CourseRepository, 'list'>;
  /** The follower, owned courses, live history and persona inputs, read in one round trip per request. */
  signals: ServingSignalsReader;
  artifacts: Pick<ModelArtifactRepository, 'latest' | 'latestVersion'>;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** The engine: the Recommender port, plus a way to load (or re-read) the model and catalogue now. */
export interface ServingRecommender extends Recommender {
  /** Re-reads the newest artifact and the catalogue; resolves when done (joins a refresh already running). E.g. at start, so no request waits for the first load. */
  refresh(): Promise<void>;
}

export interface RecommenderTuning {
  /** How often the newest artifact version and the catalogue are re-read (in the background once loaded). */
  refreshMs?: number;
  /** Events read per request (live history). */
  historyLimit?: number;
  /** MMR trade-off: 1 = pure relevance. */
  mmrLambda?: number;
}

/**
 * The production recommender behind the Recommender port. Serving never trains: it loads the newest
 * artifact and indexes the catalogue on sale, re-checking both every `refreshMs` in the background
 * (a request never waits for that once a catalogue is loaded: stale-while-revalidate; only the very
 * first load is waited for). Per request it reads the follower, owned courses, live history and
 * persona inputs in one round trip (so a new event changes the picks at once), scores the
 * precomputed candidates with the ranker, removes owned/unavailable/off-band courses, diversifies
 * with MMR and explains each pick. Each pick carries the courses it names, as indexed, so callers
 * need not read them again. Without an artifact yet, content, interests and catalogue order still
 * work (labelled).
 * `options.configuration` (a recommender experiment's variant) varies ranker, diversity and generators for that call.
 *
 * @example
 * const recommender = createRecommender({ courses, signals: new PgServingSignals(db), artifacts, clock, logger });
 * const picks = await recommender.recommend(followerId, { limit: 3 });
 */
export function createRecommender(deps: CreateRecommenderDeps, tuning: RecommenderTuning = {}): ServingRecommender {
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
    // Unchanged courses are not segmented again (see indexCatalogue).
    catalogue = indexCatalogue(await onSaleCourses(deps.courses), catalogue ?? undefined);
    checkedAt = deps.clock.now().getTime();
  }

  /** One refresh at a time; every caller that asks while it runs shares it. */
  function startRefresh(): Promise<void> {
    refreshing ??= refresh().finally(() => (refreshing = null));
    return refreshing;
  }

  async function ensureFresh(): Promise<CatalogueIndex> {
    if (!catalogue) {
      // Nothing to serve yet: the very first load is waited for.
      await startRefresh();
      return catalogue!;
    }
    if (deps.clock.now().getTime() - checkedAt > refreshMs && !refreshing) {
      // Stale: serve what is loaded now and re-read in the background. A failed refresh keeps
      // the loaded catalogue and model and is retried on a later request.
      startRefresh().catch((error: unknown) => deps.logger.error({ err: error }, 'recommender refresh failed; serving the catalogue and model loaded before'));
    }
    return catalogue;
  }

  return {
    refresh: startRefresh,
    async recommend(followerId: string, options: RecommendOptions): Promise<Recommendation[]> {
      const limit = Math.max(0, Math.min(options.limit, 50));
      const now = deps.clock.now();
      // Independent, issued together: the catalogue is in memory once loaded, the rest is one statement.
      const [index, signals] = await Promise.all([
        ensureFresh(),
        deps.signals.servingSignals(followerId, { historyLimit: tuning.historyLimit ?? 200, now, halfLifeDays: INTEREST_HALF_LIFE_DAYS }),
      ]);
      const follower = signals.follower;
      if (!follower) throw new NotFoundError('follower_not_found', `No follower with id ${followerId}; recommendations need a known follower.`);
      const excluded = new Set([...signals.owned, ...(options.excludeCourseIds ?? [])]);
      if (!follower.hasPersonalizationConsent || !signals.personaStats) return withCourses(nonPersonalised(model, index, excluded, limit), index);
      const persona = computePersona(follower.id, follower.timeZone, signals.personaStats, now);
      const hour = toWallTime(now, follower.timeZone).hour;
      const ranked = { history: signals.history, interests: persona.interests, priceBand: persona.priceBand, now, hour } as const;
      return withCourses(rankForFollower(model, index, ranked, excluded, limit, tuning.mmrLambda, options.configuration), index);
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Attaches the picked course and the course its reason names, as indexed, to each pick. */
function withCourses(picks: Recommendation[], index: CatalogueIndex): Recommendation[] {
  return picks.map((pick) => {
    const named = pick.reason.params['courseId'];
    const courses = [index.courses.get(pick.courseId), named === undefined ? undefined : index.courses.get(named)].filter((c): c is Course => c !== undefined);
    return { ...pick, courses };
  });
}

/**
 * PIPL: no personal data used — global popularity (or newest courses), labelled as such. Ranks the
 * popular candidates the model precomputed; the whole catalogue only without a model, or when the
 * follower owns or excludes nearly all of those.
 */
function nonPersonalised(model: RecommenderModel | null, index: CatalogueIndex, excluded: ReadonlySet<string>, limit: number): Recommendation[] {
  const popularityOf = (id: string) => {
    const i = model?.indexOf.get(id);
    return i === undefined ? 0 : model!.artifact.popularity[i]!;
  };
  const best = (courses: Iterable<Course | undefined>) => [...courses]
    .filter((c): c is Course => c !== undefined && !excluded.has(c.id))
    .map((c) => ({ c, score: popularityOf(c.id) }))
    .sort((a, b) => b.score - a.score || b.c.createdAt.getTime() - a.c.createdAt.getTime() || a.c.id.localeCompare(b.c.id))
    .slice(0, limit)
    .map(({ c, score }): Recommendation => ({ courseId: c.id, score: round(score), reason: { code: 'non_personalised_popular', params: {} }, source: 'popularity' }));
  if (model) {
    const popular = best(model.artifact.candidates.popular.map((i) => index.courses.get(model.artifact.courseIds[i]!)));
    if (popular.length >= limit) return popular;
  }
  return best(index.courses.values());
}

async function onSaleCourses(courses: Pick<CourseRepository, 'list'>): Promise<Course[]> {
  const all: Course[] = [];
  for (let page = 1; ; page++) {
    const result = await courses.list({ page, pageSize: 500, status: 'on_sale' });
    all.push(...result.items.filter((c) => c.status === 'on_sale'));
    if (result.items.length < 500 || all.length >= result.total) return all;
  }
}
