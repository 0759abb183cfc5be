import type { QuietHours } from './quiet-hours.js';
import { nextAllowedTime } from './quiet-hours.js';
import { localDayKey, localWeekKey } from './zoned-time.js';

/** Admin-tunable limits on marketing messages. */
export interface GuardSettings {
  /** Marketing messages per follower per local day, across all campaigns. */
  dailyCap: number;
  /** Marketing messages per follower per ISO week (local), across all campaigns. */
  weeklyCap: number;
  quietHours: QuietHours;
  /**
   * Percent of all followers (0–50, the same followers every time) in the global control group:
   * they get no marketing at all, so every campaign can be measured against them.
   */
  controlPercent: number;
}

/** What the guards need to know about the recipient, read fresh when the message is about to go. */
export interface GuardedFollower {
  id: string;
  timeZone: string;
  hasMarketingConsent: boolean;
  isOptedOut: boolean;
  isReachable: boolean;
  /** A person is talking with them (an open hand-off): no marketing meanwhile. */
  isInHandoff: boolean;
  /** Flagged by the risk scorer or blocked by an admin (core/risk): no marketing until cleared. */
  isUnderRiskReview: boolean;
}

export type SkipReason = 'opted_out' | 'no_consent' | 'capped' | 'unreachable' | 'in_handoff' | 'risk_review';

export type GuardDecision =
  | { action: 'send' }
  | { action: 'skip'; reason: SkipReason }
  | { action: 'hold'; until: Date; reason: 'quiet_hours' };

/** The frequency-cap slots one message needs: its follower's local day and ISO week, under the caps in force. */
export interface CapClaim {
  outboxId: number;
  followerId: string;
  dayKey: string;
  weekKey: string;
  dailyCap: number;
  weeklyCap: number;
}

/**
 * Decides whether one marketing message may go now, up to its frequency-cap slots: consent and
 * opt-out first, then reachability, then whether a person is talking with the follower (skipped:
 * marketing would talk over them) or the follower is under risk review (skipped), then quiet hours in the follower's zone (held, not dropped);
 * what passes returns the cap slots still to claim, so a held or refused message never uses one
 * up. The dispatcher claims the slots of a whole batch at once (`CapBatchLedger.claimMany`).
 *
 * @example
 * const decision = checkGuardsBeforeCap(settings, { outboxId: 7, follower, now });
 * if (decision.action === 'claim') claims.push(decision.claim);
 */
export function checkGuardsBeforeCap(
  settings: GuardSettings,
  input: { outboxId: number; follower: GuardedFollower; now: Date },
): Exclude<GuardDecision, { action: 'send' }> | { action: 'claim'; claim: CapClaim } {
  const { follower, now } = input;
  if (follower.isOptedOut) return { action: 'skip', reason: 'opted_out' };
  if (!follower.hasMarketingConsent) return { action: 'skip', reason: 'no_consent' };
  if (!follower.isReachable) return { action: 'skip', reason: 'unreachable' };
  if (follower.isInHandoff) return { action: 'skip', reason: 'in_handoff' };
  // Flagged after the message was queued: the audience left them out only if flagged before.
  if (follower.isUnderRiskReview) return { action: 'skip', reason: 'risk_review' };
  const allowedAt = nextAllowedTime(now, follower.timeZone, settings.quietHours);
  if (allowedAt.getTime() > now.getTime()) return { action: 'hold', until: allowedAt, reason: 'quiet_hours' };
  return {
    action: 'claim',
    claim: {
      outboxId: input.outboxId,
      followerId: follower.id,
      dayKey: localDayKey(now, follower.timeZone),
      weekKey: localWeekKey(now, follower.timeZone),
      dailyCap: settings.dailyCap,
      weeklyCap: settings.weeklyCap,
    },
  };
}
