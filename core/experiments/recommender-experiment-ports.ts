import type { AuditEntry } from '../ports/repositories.js';
import type { VariantStats } from './compute-experiment-results.js';
import type { RecommenderExperiment, RecommenderVariant } from './recommender-experiment.js';

/** One list of courses shown to a follower in an experiment. `listId` makes recording it again harmless. */
export interface RecommenderExposure {
  listId: string;
  experimentId: string;
  variant: string;
  followerId: string;
  courseIds: string[];
  /** Where it was shown (`telegram`, `wechat`, `miniprogram`, …). */
  channel: string;
  exposedAt: Date;
}

/**
 * Where exposures are written, many at once.
 *
 * @example
 * await store.recordExposures([{ listId, experimentId, variant: 'B', followerId, courseIds, channel: 'miniprogram', exposedAt }]);
 */
export interface RecommenderExposureStore {
  /** Writes the lists; one already recorded (same `listId`) is skipped. */
  recordExposures(exposures: readonly RecommenderExposure[]): Promise<void>;
}

/** What a variant's exposed followers did with the courses it showed them, beyond the conversion rate. */
export interface RecommenderVariantOutcome {
  variant: string;
  /** Lists shown. */
  lists: number;
  clicks: number;
  checkouts: number;
  purchases: number;
  /** Paid orders of shown courses, per currency, in minor units. */
  revenue: Array<{ currency: string; amountMinor: number }>;
}

/** How a start went: started, or why not. */
export type StartOutcome = 'started' | 'not_a_draft' | 'another_running';

/**
 * Recommender experiments and their results. Every change is written with its audit entry in one transaction.
 *
 * @example
 * const experiment = await experiments.create({ name, variants, attributionHours: 72, createdBy }, audit);
 * await experiments.start(experiment.id, clock.now(), audit);
 */
export interface RecommenderExperimentRepository {
  create(input: { name: string; variants: RecommenderVariant[]; attributionHours: number; createdBy: string | null }, audit: Omit<AuditEntry, 'subjectId' | 'subjectType'>): Promise<RecommenderExperiment>;
  findById(id: string): Promise<RecommenderExperiment | null>;
  /** Newest first; only those `createdBy` made when given. */
  list(options: { limit: number; createdBy?: string }): Promise<RecommenderExperiment[]>;
  /** The experiment followers are in now, or null. */
  running(): Promise<RecommenderExperiment | null>;
  /** Draft → running, unless another one runs (one at a time: two would fight over the same lists). */
  start(id: string, at: Date, audit: Omit<AuditEntry, 'subjectId' | 'subjectType'>): Promise<StartOutcome>;
  /** Running → stopped; false when it was not running. */
  stop(id: string, at: Date, audit: Omit<AuditEntry, 'subjectId' | 'subjectType'>): Promise<boolean>;
  /**
   * Per variant: followers shown a list (`sent`) and of them, those with an attributed click,
   * checkout or purchase (`conversions`); plus the counts and revenue behind them. A follower's
   * event on a course counts for the exposure that last showed that course before it, within that
   * experiment's window (so for at most one variant of one experiment).
   */
  results(id: string): Promise<{ stats: VariantStats[]; outcomes: RecommenderVariantOutcome[] }>;
}
