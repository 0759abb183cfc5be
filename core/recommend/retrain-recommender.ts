import { ValidationError } from '../errors.js';
import type { Clock, CourseInteraction, CourseRepository, InteractionRepository, Logger, MessageTerms, ModelArtifactRepository } from '../ports/index.js';
import { EventLogBuilder, type EventLog } from './data/event-log.js';
import { EVENT_PAGE_ROWS, forEachEventPage, readAllPages } from './data/read-pages.js';
import { listAllCourses } from './serving/catalogue-index.js';
import { RECOMMENDER_ARTIFACT_KIND, type GeneratorName } from './serving/recommender-model.js';
import { initTensorflowBackend } from './tf-backend.js';
import { releaseGarbage } from './training/collect-garbage.js';
import { trainRecommenderArtifact, type TrainingOptions } from './training/train-recommender-artifact.js';

export interface RetrainRecommenderDeps {
  interactions: Pick<InteractionRepository, 'listCourseInteractions' | 'listMessageTerms'>;
  courses: Pick<CourseRepository, 'list'>;
  artifacts: Pick<ModelArtifactRepository, 'save'>;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Called at each stage boundary after garbage is collected: hands freed C-heap pages back (the runtime adapter's `trimNativeHeap`). */
  returnNativeMemory?: () => unknown;
}

export interface RetrainOptions extends Omit<TrainingOptions, 'onProgress'> {
  onProgress?: (percent: number, stage: string) => void;
}

/** Up to this many courses EASE is fitted on one thread; above, on two. */
const EASE_ONE_THREAD_MAX_COURSES = 7_000;

/**
 * EASE's threads for a catalogue: a second thread is its own V8 isolate with tsx, TensorFlow.js and
 * a wasm heap (~170 MB while a fit runs), which set the retrain's peak at 5,000 courses, where one
 * thread fits in ~12 s. The fit's time grows as n³ and its matrix as n², so above 7,000 courses (about
 * half a minute a fit on one thread) time matters more: at 10,000 one thread took 67 s a fit, twice
 * per retrain, against ~38 s on two (`npm run bench:ease`).
 */
function easeThreadsFor(courses: number): number | undefined {
  return courses <= EASE_ONE_THREAD_MAX_COURSES ? 1 : undefined;
}

/**
 * Full retrain, run as a job (never on the chat path): reads every course interaction and message
 * term from the event log, then trains through {@link trainRecommenderArtifact} — the same code
 * `npm run eval` measures — and stores the result as a new artifact version. Logs progress in
 * percent, and whether the learned ranker or the untrained blend is served, and why.
 *
 * @example
 * const { version } = await retrainRecommender({ interactions, courses, artifacts, clock, logger }, { onProgress: (p, s) => logger.info({ p, s }, 'retrain') });
 */
export async function retrainRecommender(deps: RetrainRecommenderDeps, options: RetrainOptions = {}): Promise<{ version: number; metrics: Record<string, unknown> }> {
  if (!deps.interactions?.listCourseInteractions || !deps.artifacts?.save || !deps.courses?.list) {
    throw new ValidationError('retrain_deps_missing', 'retrainRecommender needs { interactions: PgInteractionRepository, courses, artifacts: PgModelArtifactRepository, clock, logger } (see models/index.ts).');
  }
  const started = Date.now();
  let lastLogged = { decile: -1, stage: '' };
  const progress = (percent: number, stage: string) => {
    // Log each stage and every 10%, not every step: training reports progress hundreds of times.
    const decile = Math.floor(percent / 10);
    if (decile !== lastLogged.decile || stage !== lastLogged.stage || percent >= 100) {
      deps.logger.info({ percent: Math.round(percent), stage }, `recommender retrain ${Math.round(percent)}% ${stage}`);
      lastLogged = { decile, stage };
    }
    options.onProgress?.(percent, stage);
  };
  const backend = await initTensorflowBackend(deps.logger);
  const now = deps.clock.now();
  const courses = await listAllCourses(deps.courses);
  progress(2, 'catalogue loaded');
  const events = await readEventLog(deps.interactions, (n) => progress(2 + Math.min(14, n / 100_000), `read ${n} events`));
  const messages = await readAllPages<MessageTerms>((afterId, limit) => deps.interactions.listMessageTerms({ afterId, limit }), EVENT_PAGE_ROWS, (n) => progress(16 + Math.min(4, n / 100_000), `read ${n} messages`));
  progress(20, `read ${events.length} events, ${messages.length} messages`);

  // Generators are fitted twice (serving, and ranker features before the cut-off): log each skip once.
  const skipped: Record<string, string> = {};
  const onSkipped = (generator: GeneratorName, why: string) => {
    if (skipped[generator] !== why) deps.logger.warn({ generator, why }, `recommender retrain: ${why}`);
    skipped[generator] = why;
    options.onSkipped?.(generator, why);
  };
  const betweenStages = () => releaseGarbage(deps.returnNativeMemory);
  const settings = { easeThreads: easeThreadsFor(courses.length), betweenStages, ...options, onSkipped, onProgress: (f: number, stage: string) => progress(20 + 75 * f, stage) };
  const { artifact } = await trainRecommenderArtifact({ events, messages, courses, now }, settings);
  const choice = artifact.rankerChoice;
  deps.logger.info({ kept: choice?.kept, validationAuc: choice?.validationAuc, rows: choice?.rows }, `recommender ranker: serving the ${choice?.kept === 'trained' ? 'trained ranker' : 'untrained blend'} (${choice?.why ?? 'no choice recorded'})`);
  const metrics = {
    events: events.length, messages: messages.length, followers: events.followerIds.length, courses: artifact.courseIds.length, backend,
    generators: artifact.generators, skipped, segments: artifact.segmentModel?.segments.length ?? 0, silhouette: artifact.segmentModel?.silhouette ?? null, rules: artifact.rules.length,
    ranker: choice?.kept ?? 'untrained_blend', rankerWhy: choice?.why ?? null, rankerValidationAuc: choice?.validationAuc ?? null, rankerRows: choice?.rows ?? null,
    trainMs: Date.now() - started,
  };
  await betweenStages();
  const saved = await deps.artifacts.save({ kind: RECOMMENDER_ARTIFACT_KIND, metrics, data: artifact });
  progress(100, `saved version ${saved.version}`);
  return { version: saved.version, metrics };
}

/**
 * Every course event, held as columns as the pages arrive (a million events as objects would be
 * most of the retrain's memory). Its own function, so the builder's columns are garbage once built.
 */
async function readEventLog(interactions: RetrainRecommenderDeps['interactions'], onRead: (readSoFar: number) => void): Promise<EventLog> {
  const builder = new EventLogBuilder();
  await forEachEventPage<CourseInteraction>((afterId, limit) => interactions.listCourseInteractions({ afterId, limit }), (page, n) => {
    for (const e of page) builder.add(e);
    onRead(n);
  });
  return builder.build();
}
