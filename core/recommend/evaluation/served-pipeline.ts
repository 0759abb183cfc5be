import type { Course } from '../../catalog/course.js';
import type { CourseInteraction } from '../../ports/index.js';
import type { ItemNeighbours } from '../algorithms/item-knn.js';
import { eventLogOf } from '../data/event-log.js';
import { indexCatalogue } from '../serving/catalogue-index.js';
import { rankForFollower } from '../serving/rank-for-follower.js';
import { hydrateModel, type RankerChoice } from '../serving/recommender-model.js';
import { personaAt } from '../training/point-in-time.js';
import { trainRecommenderArtifact, type TrainingOptions } from '../training/train-recommender-artifact.js';
import { foldMatrices, scoreFold, summariseFolds, type FoldResult, type ModelReport } from './evaluate.js';
import type { Fold, InteractionTable } from './split.js';

/** One configuration of the served pipeline (the production one, or one with a part switched off). */
export interface ServedVariant {
  name: string;
  training: TrainingOptions;
}

/** Timestamps above this are milliseconds already. */
const MILLISECONDS_THRESHOLD = 1e11;
/** Serving reads this many of a follower's latest events. */
const HISTORY_LIMIT = 200;

export interface ServedReport extends ModelReport {
  /** Per fold: whether the trained ranker or the untrained blend was served, and the validation AUCs. */
  rankerChoices: Array<RankerChoice | null>;
  /** Share of served picks per reason code (over every fold). */
  reasons: Record<string, number>;
}

/**
 * Evaluates the served pipeline itself: each fold's training rows become course events (every
 * interaction a click, as Gorse's protocol counts every rating a positive), trained by
 * {@link trainRecommenderArtifact} — the nightly retrain's code — and every test user is served by
 * {@link rankForFollower} — the production engine: all generators, the ranker, the business
 * filters and MMR — with their training items excluded, as the protocol asks. The interest
 * popularity and newest-on-sale fallbacks of the chain would only answer if the engine returned
 * fewer than K courses; the count of such users is reported as `short`.
 *
 * @example
 * const [served] = await evaluateServedPipeline(table, courses, folds, [{ name: 'served', training: {} }], { k: 10 });
 */
export async function evaluateServedPipeline(
  table: InteractionTable,
  courses: readonly Course[],
  folds: readonly Fold[],
  variants: readonly ServedVariant[],
  options: { k: number; onProgress?: (variant: string, fold: number) => void },
): Promise<Array<ServedReport & { short: number }>> {
  const perVariant = variants.map(() => ({ folds: [] as FoldResult[], choices: [] as Array<RankerChoice | null>, short: 0, reasons: new Map<string, number>() }));
  const catalogue = indexCatalogue(courses);
  for (const [f, fold] of folds.entries()) {
    const { train, test } = foldMatrices(table, fold);
    const events = eventsOf(table, fold.train);
    const now = new Date(events.reduce((m, e) => Math.max(m, e.occurredAt.getTime()), 0) + 1000);
    const byUser = new Map<string, CourseInteraction[]>();
    for (const e of events) {
      const list = byUser.get(e.followerId);
      if (list) list.push(e);
      else byUser.set(e.followerId, [e]);
    }
    for (const list of byUser.values()) list.sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || b.id - a.id);
    // The variants of one fold share fitted neighbour lists (EASE is the costly one).
    const memo = new Map<string, ItemNeighbours>();
    const log = eventLogOf(events);
    for (const [v, variant] of variants.entries()) {
      const started = performance.now();
      const { artifact } = await trainRecommenderArtifact({ events: log, messages: [], courses, now }, { ...variant.training, memo });
      const trainMs = performance.now() - started;
      const model = hydrateModel(artifact);
      const itemIndex = new Map(table.itemIds.map((id, i) => [id, i]));
      const result = scoreFold(train, test, options.k, trainMs, (u, history) => {
        const followerId = table.userIds[u]!;
        const all = byUser.get(followerId) ?? [];
        const userHistory = all.slice(0, HISTORY_LIMIT);
        const excluded = new Set(Array.from(history, (i) => table.itemIds[i]!));
        // The follower asks right after their last known event (as a follower asks while active in chat), with the persona the event log gives then.
        const at = new Date((all[0]?.occurredAt.getTime() ?? now.getTime()) + 1000);
        const persona = personaAt(followerId, all, [], catalogue.courses, at);
        const signals = { history: userHistory, interests: persona.interests, priceBand: persona.priceBand, now: at, hour: (at.getUTCHours() + 8) % 24 };
        const picks = rankForFollower(model, catalogue, signals, excluded, options.k);
        if (picks.length < options.k) perVariant[v]!.short++;
        for (const p of picks) perVariant[v]!.reasons.set(p.reason.code, (perVariant[v]!.reasons.get(p.reason.code) ?? 0) + 1);
        return picks.map((p) => itemIndex.get(p.courseId)!);
      });
      perVariant[v]!.folds.push(result);
      perVariant[v]!.choices.push(artifact.rankerChoice);
      options.onProgress?.(variant.name, f);
    }
  }
  return variants.map((variant, v) => {
    const { folds: results, choices, short, reasons } = perVariant[v]!;
    const total = [...reasons.values()].reduce((a, b) => a + b, 0) || 1;
    return { ...summariseFolds(variant.name, results), rankerChoices: choices, short, reasons: Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1]).map(([code, n]) => [code, n / total])) };
  });
}

/** The fold's training rows as course events (ids are the table's user and item ids). */
function eventsOf(table: InteractionTable, rows: Int32Array): CourseInteraction[] {
  return Array.from(rows, (r, n) => {
    const t = table.timestamps[r]!;
    const ms = !Number.isFinite(t) ? 0 : t > MILLISECONDS_THRESHOLD ? t : t * 1000;
    return { id: n + 1, followerId: table.userIds[table.users[r]!]!, courseId: table.itemIds[table.items[r]!]!, kind: 'click', occurredAt: new Date(ms) };
  });
}
