import type { Course } from '../catalog/course.js';
import type { EventKind } from '../events/event-types.js';
import type { Follower } from '../followers/follower.js';
import type { Platform } from '../events/event-types.js';
import type { FollowerScores } from '../followers/propensity.js';
import type { ServingConfiguration } from '../recommend/serving/serving-configuration.js';
import type { PersonaStats } from '../persona/persona-stats.js';

/** Why a course was picked; `params` fill the human text (see reasonText in core/dialog). */
export type ReasonCode =
  | 'because_you_liked'
  | 'popular_with_similar'
  | 'new_in_topic'
  | 'matches_interest'
  | 'trending'
  | 'bought_together'
  | 'popular'
  | 'matches_what_you_said'
  | 'cold_start_popular'
  | 'non_personalised_popular'
  | 'newest_on_sale'
  | 'next_in_path';

export interface RecommendationReason {
  /** One of ReasonCode from core/recommend; other recommenders (fallbacks) may use their own codes. */
  code: ReasonCode | (string & {});
  /** e.g. `{ courseId }` for because_you_liked / bought_together, `{ tag }` for new_in_topic. */
  params: Record<string, string>;
}

/** Which candidate generator won the pick. */
export type RecommendationSource = 'item_cf' | 'ease' | 'rp3beta' | 'content' | 'popularity' | 'segment_popularity' | 'trending' | 'association_rules' | 'interests' | 'newest';

export interface Recommendation {
  courseId: string;
  score: number;
  reason: RecommendationReason;
  /** Which generator or fallback produced it. */
  source: RecommendationSource | (string & {});
  /**
   * The courses this pick refers to — the pick and the course its reason names — as the
   * recommender held them (on sale when it read them), so a caller need not read them again.
   * Absent or partial when the stage did not hold them.
   */
  courses?: readonly Course[];
}

export interface RecommendOptions {
  limit: number;
  excludeCourseIds?: string[];
  /** The follower as the caller has just read them; saves reading them again (ignored if another id). */
  follower?: Follower;
  /** A recommender experiment's variant for this call (set by the experiment stage, see createExperimentingRecommender); fallback stages ignore it. */
  configuration?: ServingConfiguration;
  /** Where the list is shown to the follower: only such lists are logged as exposures of a recommender experiment (a preview or a broadcast's pick is not). */
  shownOn?: Platform;
  /**
   * Only courses for which this holds (a budget the follower said), so the list returned is the
   * list shown. The chain asks its stages for more to fill the limit.
   */
  fits?: (course: Course) => boolean;
}

/**
 * Courses to offer one follower, best first, each with a reason. Never returns owned or unavailable
 * courses; a follower without personalisation consent gets labelled non-personalised picks. Never trains.
 *
 * @example
 * const picks = await recommender.recommend(followerId, { limit: 3 });
 * picks[0]; // { courseId, score: 0.82, reason: { code: 'because_you_liked', params: { courseId: '…' } }, source: 'item_cf' }
 */
export interface Recommender {
  recommend(followerId: string, options: RecommendOptions): Promise<Recommendation[]>;
}

/** One follower–course event used for learning. */
export interface CourseInteraction {
  id: number;
  followerId: string;
  courseId: string;
  kind: EventKind;
  occurredAt: Date;
}

/** The words of one follower message (onboarding topics arrive as messages too), for training. */
export interface MessageTerms {
  id: number;
  followerId: string;
  terms: string[];
  occurredAt: Date;
}

/**
 * Reads follower–course interactions from the event log, for training (in pages) and at request time.
 *
 * @example
 * const page = await interactions.listCourseInteractions({ afterId: 0, limit: 50_000 });
 */
export interface InteractionRepository {
  /** Events that name a course, ordered by id, strictly after `afterId`. */
  listCourseInteractions(options: { afterId: number; limit: number }): Promise<CourseInteraction[]>;
  /** Message events that carry terms, ordered by id, strictly after `afterId`. */
  listMessageTerms(options: { afterId: number; limit: number }): Promise<MessageTerms[]>;
  /** One follower's latest course events, newest first. */
  followerHistory(followerId: string, limit: number): Promise<CourseInteraction[]>;
}

/** What serving reads about one follower for one request. */
export interface ServingSignals {
  /** The follower as stored now; null when there is no follower with this id. */
  follower: Follower | null;
  /** Courses the follower owns (never offered). */
  owned: Set<string>;
  /** Latest course events, newest first; empty without personalisation consent (none are read). */
  history: CourseInteraction[];
  /** The persona's inputs; null without personalisation consent (none are read). */
  personaStats: PersonaStats | null;
}

/**
 * Everything the recommender reads per request — the follower, owned courses, live history and the
 * persona's inputs — in one database round trip.
 *
 * @example
 * const { follower, owned, history, personaStats } = await signals.servingSignals(followerId, { historyLimit: 200, now, halfLifeDays: 30 });
 */
export interface ServingSignalsReader {
  servingSignals(followerId: string, options: { historyLimit: number; now: Date; halfLifeDays: number }): Promise<ServingSignals>;
}

/** One event of any kind (messages, lessons and follows included), for the propensity features. */
export interface ActivityEvent {
  id: number;
  followerId: string;
  kind: EventKind;
  courseId: string | null;
  occurredAt: Date;
}

/**
 * Reads the whole event log in pages, for the purchase-propensity and churn-risk models.
 *
 * @example
 * const page = await activity.listActivity({ afterId: 0, limit: 50_000 });
 */
export interface ActivityRepository {
  /** Every event, ordered by id, strictly after `afterId`. */
  listActivity(options: { afterId: number; limit: number }): Promise<ActivityEvent[]>;
}

/** One follower's scores from one scoring run. */
export type ScoredFollower = { followerId: string } & Omit<FollowerScores, 'scoredAt' | 'modelVersion' | 'horizonDays'>;

/**
 * Where the batch scoring writes purchase propensity and churn risk, for segments and the persona.
 *
 * @example
 * await scores.replaceAll(scored, { modelVersion: 3, horizonDays: 14, scoredAt: now });
 */
export interface FollowerScoreStore {
  /** Writes this run's scores and removes those of followers the run did not score. Returns how many were written. */
  replaceAll(scores: readonly ScoredFollower[], run: { modelVersion: number; horizonDays: number; scoredAt: Date }): Promise<number>;
}

export interface ModelArtifact<T = unknown> {
  id: string;
  kind: string;
  version: number;
  createdAt: Date;
  metrics: Record<string, unknown>;
  data: T;
}

/**
 * Versioned trained models: training writes a new version, serving reads the newest.
 *
 * @example
 * const { version } = await artifacts.save({ kind: 'recommender', metrics: {}, data });
 * const newest = await artifacts.latest('recommender');
 */
export interface ModelArtifactRepository {
  save(artifact: { kind: string; metrics: Record<string, unknown>; data: unknown }): Promise<{ id: string; version: number }>;
  latest(kind: string): Promise<ModelArtifact | null>;
  /** The newest version number only (cheap poll), or null when none. */
  latestVersion(kind: string): Promise<number | null>;
}

/**
 * How popular each course is (for example recent purchases and views, weighted); higher is more.
 *
 * @example
 * const scores = await popularity.courseScores(); // Map { '7d1…' => 42.5 }
 */
export interface CoursePopularity {
  courseScores(): Promise<Map<string, number>>;
}
