import { courseTitle, type Course, type Money } from '../catalog/course.js';
import type { CouponLedger } from '../commerce/coupon-ports.js';
import { quoteCoupon } from '../commerce/quote-coupon.js';
import { reasonText } from '../dialog/index.js';
import { displayPrice } from '../dialog/course-cards.js';
import type { Platform } from '../events/event-types.js';
import { assignVariant, chooseVariantThompson, type Random, type VariantStats } from '../experiments/index.js';
import { checkGuardsBeforeCap, type CapClaim } from '../guards/index.js';
import type { Messenger, SendResult } from '../ports/messenger.js';
import type { Recommender } from '../ports/recommender.js';
import type { CourseRepository } from '../ports/repositories.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { BatchMessenger, CampaignContentRepository, CapBatchLedger, GuardSettingsRepository, KeyedSend, OutboxRepository } from './campaign-ports.js';
import type { ClaimedMessage, MessageVariant, PickKind } from './campaign-types.js';
import type { CrossSellReason } from './cross-sell.js';
import { pickCourseFor, type CoursePurchaseRates, type CrossSellOffers, type NextCourseOffers, type NoPick } from './pick-course.js';
import { isStarsPlatform, renderCampaignMessage } from './render-campaign-message.js';

export interface DispatchDeps {
  outbox: OutboxRepository;
  caps: CapBatchLedger;
  guardSettings: GuardSettingsRepository;
  content: CampaignContentRepository;
  courses: Pick<CourseRepository, 'findById'>;
  /** A messenger that can send a batch at once ({@link BatchMessenger}) gets the batch; others get one message at a time. */
  messengers: ReadonlyMap<Platform, Messenger | BatchMessenger>;
  /** The one recommender chain (`ctx.recommender`), for variants that say `pick`; without it such messages are skipped as `no_offer`. */
  recommender?: Recommender;
  /** Cross-sell offers for `pick: 'cross_sell'` (falls back to the recommended pick). */
  crossSell?: CrossSellOffers;
  /** Purchase rates per course, so an own pick prefers what viewers actually buy. */
  rates?: CoursePurchaseRates;
  /** Next courses in the creator's paths for `pick: 'next_in_path'` (falls back to the recommended pick). */
  nextInPath?: NextCourseOffers;
  /** Coupons, for variants that offer one (`couponCode`); without them such messages show the regular price. */
  coupons?: CouponLedger;
  clock: Clock;
  logger: Logger;
  random?: Random;
  /** Reports each outcome (sent, skipped:capped, failed, …) to metrics. */
  onOutcome?: (outcome: string) => void;
}

export interface DispatchOptions {
  batchSize: number;
  leaseMs: number;
  /** Messages of one batch in flight at once, per platform; the messenger still enforces platform limits. */
  concurrency: number;
  maxAttempts: number;
}

export type DispatchOutcome = 'sent' | 'skipped' | 'held' | 'blocked' | 'failed' | 'retry';

type Definitions = Map<string, { variants: MessageVariant[]; allocation: 'ab' | 'bandit' }>;
type SentMark = Parameters<OutboxRepository['markSentMany']>[0][number];
/** What a message will say: its variant and the course on its card, with how that course was chosen and why. */
interface Content {
  variant: MessageVariant;
  course: Course | null;
  pick: PickKind | null;
  crossSell: CrossSellReason | null;
  reason: string | null;
  /** The variant's coupon on the card's course for this follower; null when there is none or they may not use it. */
  coupon: { code: string; price: Money } | null;
}
/** A message that passed every guard but the cap, with its content and the slots it needs. */
interface Screened { message: ClaimedMessage; messenger: Messenger | BatchMessenger; claim: CapClaim; content: Content }
/** A message with its cap slots, rendered and ready to go. */
interface Ready { message: ClaimedMessage; messenger: Messenger | BatchMessenger; content: Content; send: KeyedSend }

/**
 * Sends one batch from the outbox. The batch is leased (`sending`, with a timeout, so a crash puts
 * it back) and checked against the guards with fresh follower data; a broadcast outranked by a
 * higher-priority one the same day is skipped. Each message that passed gets its variant and its
 * course (fixed, or the follower's own pick from the recommender; none left: skipped `no_offer`),
 * then the frequency-cap slots of all of them are claimed in one statement. Each message is
 * rendered in the follower's language with the opt-out line and sent through the messenger of the
 * follower's platform with an idempotency key (`outbox:<id>`), the whole batch at once where the
 * messenger can. Each sent message records when the platform accepted it (its attribution starts
 * there, not when the batch ends) and the course it showed with how it was picked. Sent messages are marked together when the batch ends (one statement instead of
 * one per message): a crash before that leaves them `sending` until their lease expires, and the
 * retry asks the messenger again under the same key, which answers 'sent' without sending twice.
 * Rate limits and retryable failures go back in the queue with a delay. An error with one message
 * is logged and leaves it leased (its lease runs out and another pass retries it); the rest go on.
 *
 * @example
 * const counts = await dispatchOutbox(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 16, maxAttempts: 5 });
 */
export async function dispatchOutbox(deps: DispatchDeps, options: DispatchOptions): Promise<{ claimed: number } & Record<DispatchOutcome, number>> {
  const counts = { claimed: 0, sent: 0, skipped: 0, held: 0, blocked: 0, failed: 0, retry: 0 };
  const claimed = await deps.outbox.claimDue(deps.clock.now(), options.batchSize, options.leaseMs, [...deps.messengers.keys()]);
  counts.claimed = claimed.length;
  if (claimed.length === 0) return counts;

  const tally = (outcome: DispatchOutcome, detail?: string) => {
    counts[outcome] += 1;
    deps.onOutcome?.(detail ? `${outcome}:${detail}` : outcome);
  };
  /** Runs one message's step; an error is that message's alone: reported, counted, the lease left to expire. */
  const settle = async (message: ClaimedMessage, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      deps.logger.error({ err: error, outboxId: message.id }, 'dispatching a message failed');
      tally('failed');
    }
  };
  const forEach = <T extends { message: ClaimedMessage }>(items: readonly T[], step: (item: T) => Promise<void>) =>
    runPool(items, options.concurrency, (item) => settle(item.message, () => step(item)));

  const sent: SentMark[] = [];
  try {
    const settings = await deps.guardSettings.get();
    const definitions = await loadDefinitions(deps, claimed);
    const now = deps.clock.now();
    const compose = composer(deps, definitions);

    // 1. Every guard but the cap, for each message; those refused or held are settled now.
    const screened: Screened[] = [];
    await forEach(claimed.map((message) => ({ message })), async ({ message }) => {
      if (!definitions.has(`${message.source}:${message.campaignId}`)) {
        await deps.outbox.markFailed(message.id, 'campaign_missing', now);
        return tally('failed');
      }
      if (!message.recipient) {
        await deps.outbox.markSkipped(message.id, 'unreachable', now);
        return tally('skipped', 'unreachable');
      }
      const messenger = deps.messengers.get(message.recipient.platform);
      if (!messenger) {
        // Another process with this platform's messenger may pick it up; do not burn a cap slot here.
        await deps.outbox.hold(message.id, new Date(now.getTime() + 60_000), 'retry', message.variant);
        deps.logger.warn({ outboxId: message.id, platform: message.recipient.platform }, 'no messenger for platform in this process; message held');
        return tally('retry');
      }
      const decision = checkGuardsBeforeCap(settings, { outboxId: message.id, follower: message.follower, now });
      if (decision.action === 'skip') {
        await deps.outbox.markSkipped(message.id, decision.reason, now);
        return tally('skipped', decision.reason);
      }
      if (message.isOutranked) {
        await deps.outbox.markSkipped(message.id, 'outranked', now);
        return tally('skipped', 'outranked');
      }
      if (decision.action === 'hold') {
        await deps.outbox.hold(message.id, decision.until, decision.reason, message.variant);
        return tally('held');
      }
      // The course is picked before the cap claim, so a follower with nothing left to offer costs no slot.
      const content = await compose(message);
      if ('skipped' in content) {
        await deps.outbox.markSkipped(message.id, content.skipped, now);
        return tally('skipped', content.skipped);
      }
      screened.push({ message, messenger, claim: decision.claim, content });
    });
    if (screened.length === 0) return counts;

    // 2. The cap slots of the whole batch, in lease order: the first message to claim a slot wins.
    screened.sort((a, b) => a.message.id - b.message.id);
    let granted: Set<number>;
    try {
      granted = await deps.caps.claimMany(screened.map((s) => s.claim));
    } catch (error) {
      deps.logger.error({ err: error, messages: screened.length }, 'claiming frequency-cap slots failed; the batch is retried when its lease runs out');
      for (let i = 0; i < screened.length; i++) tally('failed');
      return counts;
    }

    // 3. Capped messages are skipped; the others are rendered for their platform.
    const ready: Ready[] = [];
    await forEach(screened, async ({ message, messenger, content }) => {
      if (!granted.has(message.id)) {
        await deps.outbox.markSkipped(message.id, 'capped', now);
        return tally('skipped', 'capped');
      }
      const { platform, chatId } = message.recipient!;
      const replies = renderCampaignMessage(content.variant, {
        locale: message.follower.locale, platform, course: content.course, crossSell: content.crossSell, reason: content.reason, coupon: content.coupon,
      });
      // The stable key lets the messenger answer 'sent' for a message that went out before a crash.
      ready.push({ message, messenger, content, send: { to: { followerId: message.follower.id, chatId }, replies, idempotencyKey: `outbox:${message.id}` } });
    });

    // 4. Send, per messenger, and record what happened.
    await Promise.all(
      groupBy(ready, (r) => r.messenger).map(async ([messenger, group]) => {
        // A recovered message (its process died mid-send) had its stuck send row closed when it was
        // claimed, so the same key is taken again: sent at least once, one row per message.
        const results = await sendAll(messenger, group, options.concurrency, deps.clock);
        await forEach(group.map((r, i) => ({ ...r, result: results[i]! })), async ({ message, content, result }) => {
          tally(await record(deps, options, message, content, result, sent));
        });
      }),
    );
  } finally {
    await deps.outbox.markSentMany(sent);
  }
  return counts;
}

/** Marks the outcome of one send (a sent message joins the batch's marks); returns how it went. */
async function record(deps: DispatchDeps, options: DispatchOptions, message: ClaimedMessage, content: Content, result: SendResult, sent: SentMark[]): Promise<DispatchOutcome> {
  const at = deps.clock.now();
  const variant = content.variant.key;
  switch (result.status) {
    case 'sent':
      // Attribution starts when the platform accepted this message, not when the batch is written down.
      sent.push({ id: message.id, providerMessageIds: result.providerMessageIds, variant, at: result.acceptedAt ?? at, shownCourseId: content.course?.id ?? null, pick: content.pick });
      return 'sent';
    case 'blocked':
      await deps.outbox.markBlocked(message.id, result.reason, at);
      return 'blocked';
    case 'rate_limited':
      await deps.outbox.hold(message.id, new Date(at.getTime() + result.retryAfterMs), 'rate_limited', variant);
      return 'retry';
    case 'failed':
      if (result.isRetryable && message.attempts < options.maxAttempts) {
        const backoffMs = Math.min(30 * 60_000, 5_000 * 2 ** (message.attempts - 1));
        await deps.outbox.hold(message.id, new Date(at.getTime() + backoffMs), 'retry', variant);
        return 'retry';
      }
      await deps.outbox.markFailed(message.id, result.reason, at);
      deps.logger.warn({ outboxId: message.id, reason: result.reason, attempts: message.attempts }, 'marketing send failed');
      return 'failed';
  }
}

/**
 * Picks each message's variant (sticky A/B, or a bandit over this batch's statistics) and its
 * course: the variant's or the occasion's, or the follower's own pick. Statistics and courses are
 * read once per batch. Null when the variant picks per follower and nothing is left to offer.
 */
function composer(deps: DispatchDeps, definitions: Definitions) {
  const statsCache = new Map<string, Promise<VariantStats[]>>();
  const courseCache = new Map<string, Promise<Course | null>>();
  const random = deps.random ?? Math.random;
  const cached = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    let pending = cache.get(key);
    if (!pending) {
      pending = load();
      cache.set(key, pending);
    }
    return pending;
  };
  const courseOf = (id: string) => cached(courseCache, id, () => deps.courses.findById(id));
  const chooseVariant = async (message: ClaimedMessage, variants: MessageVariant[], allocation: 'ab' | 'bandit'): Promise<string> => {
    if (message.variant && variants.some((v) => v.key === message.variant)) return message.variant;
    if (allocation === 'ab' || variants.length === 1) return assignVariant(message.campaignId, message.follower.id, variants);
    const stats = await cached(statsCache, `${message.source}:${message.campaignId}`, () => deps.content.variantStats(message.source, message.campaignId));
    const known = new Map(stats.map((s) => [s.variant, s]));
    return chooseVariantThompson(variants.map((v) => known.get(v.key) ?? { variant: v.key, sent: 0, conversions: 0 }), random);
  };
  /** The variant's coupon as this follower may use it on this course, on the platform's price (Stars on Telegram); refused coupons show the regular price. */
  const couponFor = async (message: ClaimedMessage, variant: MessageVariant, course: Course | null): Promise<Content['coupon']> => {
    if (!variant.couponCode || !course || !deps.coupons || !message.recipient) return null;
    const original = displayPrice(course, isStarsPlatform(message.recipient.platform));
    const quote = await quoteCoupon({ coupons: deps.coupons }, { code: variant.couponCode, followerId: message.follower.id, course, original, now: deps.clock.now() });
    return quote.ok ? { code: quote.code, price: quote.price } : null;
  };
  const composeWithoutCoupon = async (message: ClaimedMessage): Promise<Omit<Content, 'coupon'> | NoPick> => {
    const definition = definitions.get(`${message.source}:${message.campaignId}`)!;
    const variantKey = await chooseVariant(message, definition.variants, definition.allocation);
    const variant = definition.variants.find((v) => v.key === variantKey) ?? definition.variants[0]!;
    if (variant.pick) {
      if (!deps.recommender) return { skipped: 'no_offer' };
      const offers = { ...(deps.crossSell ? { crossSell: deps.crossSell } : {}), ...(deps.nextInPath ? { nextInPath: deps.nextInPath } : {}), ...(deps.rates ? { rates: deps.rates } : {}) };
      const picked = await pickCourseFor({ recommender: deps.recommender, ...offers }, message.follower.id, variant.pick);
      if ('skipped' in picked) return picked;
      const course = await courseOf(picked.courseId);
      if (!course || course.status !== 'on_sale') return { skipped: 'no_offer' };
      const locale = message.follower.locale;
      const liked = picked.reason?.params['courseId'];
      const likedCourse = liked ? await courseOf(liked) : null;
      const reason = picked.reason ? reasonText(picked.reason, locale, (id) => (likedCourse && likedCourse.id === id ? courseTitle(likedCourse, locale) : undefined)) : null;
      return { variant, course, pick: picked.pick, crossSell: picked.crossSell, reason };
    }
    const courseId = variant.courseId ?? message.courseId;
    const course = courseId ? await courseOf(courseId) : null;
    // The reason (cross-sell) speaks of the message's course, not of a course the variant substitutes.
    const crossSell = courseId === message.courseId ? (message.reason ?? null) : null;
    return { variant, course, pick: course ? 'fixed' : null, crossSell, reason: null };
  };
  return async (message: ClaimedMessage): Promise<Content | NoPick> => {
    const content = await composeWithoutCoupon(message);
    return 'skipped' in content ? content : { ...content, coupon: await couponFor(message, content.variant, content.course) };
  };
}

/**
 * Sends through one messenger: as a batch when it can, else one message at a time, `concurrency` at
 * once. An error becomes a retryable failure of the messages it hit. Each sent result carries when
 * the platform accepted it (the batch messenger's own time, else the clock as each send resolves).
 */
async function sendAll(messenger: Messenger | BatchMessenger, ready: readonly Ready[], concurrency: number, clock: Clock): Promise<SendResult[]> {
  if (ready.length === 0) return [];
  const failure = (error: unknown): SendResult => ({ status: 'failed', reason: error instanceof Error ? error.message : String(error), isRetryable: true });
  if ('sendBatch' in messenger) {
    try {
      return await messenger.sendBatch(ready.map((r) => r.send), { purpose: 'marketing', concurrency });
    } catch (error) {
      return ready.map(() => failure(error));
    }
  }
  const results: SendResult[] = [];
  await runPool(ready.map((r, i) => ({ r, i })), concurrency, async ({ r, i }) => {
    const result = await messenger.send(r.send.to, r.send.replies, { purpose: 'marketing', idempotencyKey: r.send.idempotencyKey }).catch(failure);
    // Read the moment this send resolves: the platform has just accepted it.
    results[i] = result.status === 'sent' && !result.acceptedAt ? { ...result, acceptedAt: clock.now() } : result;
  });
  return results;
}

/** Runs `step` over `items` with at most `concurrency` in flight. */
async function runPool<T>(items: readonly T[], concurrency: number, step: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await step(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Array<[K, T[]]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return [...groups];
}

async function loadDefinitions(deps: DispatchDeps, claimed: readonly ClaimedMessage[]): Promise<Definitions> {
  const result: Definitions = new Map();
  for (const source of ['broadcast', 'retargeting'] as const) {
    const ids = [...new Set(claimed.filter((m) => m.source === source).map((m) => m.campaignId))];
    if (ids.length === 0) continue;
    for (const [id, definition] of await deps.content.definitions(source, ids)) result.set(`${source}:${id}`, definition);
  }
  return result;
}
