import type { Course } from '../catalog/course.js';
import type { Platform } from '../events/event-types.js';
import { assignVariant, chooseVariantThompson, type Random, type VariantStats } from '../experiments/index.js';
import { checkSendGuards, type CapLedger } from '../guards/index.js';
import type { Messenger, SendResult } from '../ports/messenger.js';
import type { CourseRepository } from '../ports/repositories.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { CampaignContentRepository, GuardSettingsRepository, OutboxRepository } from './campaign-ports.js';
import type { ClaimedMessage, MessageVariant } from './campaign-types.js';
import { renderCampaignMessage } from './render-campaign-message.js';

export interface DispatchDeps {
  outbox: OutboxRepository;
  caps: CapLedger;
  guardSettings: GuardSettingsRepository;
  content: CampaignContentRepository;
  courses: Pick<CourseRepository, 'findById'>;
  messengers: ReadonlyMap<Platform, Messenger>;
  clock: Clock;
  logger: Logger;
  random?: Random;
  /** Reports each outcome (sent, skipped:capped, failed, …) to metrics. */
  onOutcome?: (outcome: string) => void;
}

export interface DispatchOptions {
  batchSize: number;
  leaseMs: number;
  /** Messages of one batch in flight at once; the messenger still enforces platform limits. */
  concurrency: number;
  maxAttempts: number;
}

export type DispatchOutcome = 'sent' | 'skipped' | 'held' | 'blocked' | 'failed' | 'retry';

/**
 * Sends one batch from the outbox. Each message is leased (`sending`, with a timeout, so a crash
 * puts it back), checked against the guards with fresh follower data, rendered in the follower's
 * language with the opt-out line, sent through the messenger of the follower's platform with an
 * idempotency key. Sent messages are marked together when the batch ends (one statement instead of
 * one per message): a crash before that leaves them `sending` until their lease expires, and the
 * retry asks the messenger again under the same idempotency key, which answers 'sent' without
 * sending twice. Rate limits and retryable failures go back in the queue with a delay.
 *
 * @example
 * const counts = await dispatchOutbox(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 16, maxAttempts: 5 });
 */
export async function dispatchOutbox(deps: DispatchDeps, options: DispatchOptions): Promise<{ claimed: number } & Record<DispatchOutcome, number>> {
  const counts = { claimed: 0, sent: 0, skipped: 0, held: 0, blocked: 0, failed: 0, retry: 0 };
  const claimed = await deps.outbox.claimDue(deps.clock.now(), options.batchSize, options.leaseMs);
  counts.claimed = claimed.length;
  if (claimed.length === 0) return counts;

  const settings = await deps.guardSettings.get();
  const definitions = await loadDefinitions(deps, claimed);
  const statsCache = new Map<string, Promise<VariantStats[]>>();
  const courseCache = new Map<string, Promise<Course | null>>();
  const random = deps.random ?? Math.random;

  const chooseVariant = async (message: ClaimedMessage, variants: MessageVariant[], allocation: 'ab' | 'bandit'): Promise<string> => {
    if (message.variant && variants.some((v) => v.key === message.variant)) return message.variant;
    if (allocation === 'ab' || variants.length === 1) return assignVariant(message.campaignId, message.follower.id, variants);
    const key = `${message.source}:${message.campaignId}`;
    let stats = statsCache.get(key);
    if (!stats) {
      stats = deps.content.variantStats(message.source, message.campaignId);
      statsCache.set(key, stats);
    }
    const known = new Map((await stats).map((s) => [s.variant, s]));
    return chooseVariantThompson(variants.map((v) => known.get(v.key) ?? { variant: v.key, sent: 0, conversions: 0 }), random);
  };

  const handle = async (message: ClaimedMessage): Promise<DispatchOutcome> => {
    const now = deps.clock.now();
    const definition = definitions.get(`${message.source}:${message.campaignId}`);
    if (!definition) {
      await deps.outbox.markFailed(message.id, 'campaign_missing', now);
      return 'failed';
    }
    const messenger = message.recipient ? deps.messengers.get(message.recipient.platform) : undefined;
    if (!message.recipient) {
      await deps.outbox.markSkipped(message.id, 'unreachable', now);
      return 'skipped';
    }
    if (!messenger) {
      // Another process with this platform's messenger may pick it up; do not burn a cap slot here.
      await deps.outbox.hold(message.id, new Date(now.getTime() + 60_000), 'retry', message.variant);
      deps.logger.warn({ outboxId: message.id, platform: message.recipient.platform }, 'no messenger for platform in this process; message held');
      return 'retry';
    }
    const decision = await checkSendGuards({ caps: deps.caps, settings }, { outboxId: message.id, follower: message.follower, now });
    if (decision.action === 'skip') {
      await deps.outbox.markSkipped(message.id, decision.reason, now);
      deps.onOutcome?.(`skipped:${decision.reason}`);
      return 'skipped';
    }
    if (decision.action === 'hold') {
      await deps.outbox.hold(message.id, decision.until, decision.reason, message.variant);
      return 'held';
    }
    const variantKey = await chooseVariant(message, definition.variants, definition.allocation);
    const variant = definition.variants.find((v) => v.key === variantKey) ?? definition.variants[0]!;
    const courseId = variant.courseId ?? message.courseId;
    let course: Course | null = null;
    if (courseId) {
      let pending = courseCache.get(courseId);
      if (!pending) {
        pending = deps.courses.findById(courseId);
        courseCache.set(courseId, pending);
      }
      course = await pending;
    }
    // The reason (cross-sell) speaks of the message's course, not of a course the variant substitutes.
    const replies = renderCampaignMessage(variant, message.follower.locale, course, courseId === message.courseId ? (message.reason ?? null) : null);
    const recipient = { followerId: message.follower.id, chatId: message.recipient.chatId };
    const attempt = async (idempotencyKey: string): Promise<SendResult> => {
      try {
        return await messenger.send(recipient, replies, { purpose: 'marketing', idempotencyKey });
      } catch (error) {
        return { status: 'failed', reason: error instanceof Error ? error.message : String(error), isRetryable: true };
      }
    };
    // The stable key lets the messenger answer 'sent' for a message that went out before a crash.
    let result = await attempt(`outbox:${message.id}`);
    if (message.isRecovered && result.status === 'failed' && result.isRetryable) {
      // The process that held this lease died mid-send and left the key "in progress". We hold the
      // lease now, so nobody else is sending it: send under a key of this attempt.
      result = await attempt(`outbox:${message.id}:recovered-${message.attempts}`);
    }
    const after = deps.clock.now();
    switch (result.status) {
      case 'sent':
        sent.push({ id: message.id, providerMessageIds: result.providerMessageIds, variant: variant.key, at: after });
        return 'sent';
      case 'blocked':
        await deps.outbox.markBlocked(message.id, result.reason, after);
        return 'blocked';
      case 'rate_limited':
        await deps.outbox.hold(message.id, new Date(after.getTime() + result.retryAfterMs), 'rate_limited', variant.key);
        return 'retry';
      case 'failed':
        if (result.isRetryable && message.attempts < options.maxAttempts) {
          const backoffMs = Math.min(30 * 60_000, 5_000 * 2 ** (message.attempts - 1));
          await deps.outbox.hold(message.id, new Date(after.getTime() + backoffMs), 'retry', variant.key);
          return 'retry';
        }
        await deps.outbox.markFailed(message.id, result.reason, after);
        deps.logger.warn({ outboxId: message.id, reason: result.reason, attempts: message.attempts }, 'marketing send failed');
        return 'failed';
    }
  };

  const sent: Array<{ id: number; providerMessageIds: string[]; variant: string | null; at: Date }> = [];
  const queue = [...claimed];
  const worker = async () => {
    for (let message = queue.shift(); message; message = queue.shift()) {
      let outcome: DispatchOutcome;
      try {
        outcome = await handle(message);
      } catch (error) {
        // The lease expires and another pass retries; the error is reported, not swallowed.
        deps.logger.error({ err: error, outboxId: message.id }, 'dispatching a message failed');
        outcome = 'failed';
      }
      counts[outcome] += 1;
      if (!outcome.startsWith('skipped')) deps.onOutcome?.(outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, claimed.length)) }, worker));
  } finally {
    await deps.outbox.markSentMany(sent);
  }
  return counts;
}

async function loadDefinitions(deps: DispatchDeps, claimed: readonly ClaimedMessage[]) {
  const result = new Map<string, { variants: MessageVariant[]; allocation: 'ab' | 'bandit' }>();
  for (const source of ['broadcast', 'retargeting'] as const) {
    const ids = [...new Set(claimed.filter((m) => m.source === source).map((m) => m.campaignId))];
    if (ids.length === 0) continue;
    for (const [id, definition] of await deps.content.definitions(source, ids)) result.set(`${source}:${id}`, definition);
  }
  return result;
}
