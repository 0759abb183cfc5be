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
}

/** What the guards need to know about the recipient, read fresh when the message is about to go. */
export interface GuardedFollower {
  id: string;
  timeZone: string;
  hasMarketingConsent: boolean;
  isOptedOut: boolean;
  isReachable: boolean;
}

export type SkipReason = 'opted_out' | 'no_consent' | 'capped' | 'unreachable';

export type GuardDecision =
  | { action: 'send' }
  | { action: 'skip'; reason: SkipReason }
  | { action: 'hold'; until: Date; reason: 'quiet_hours' };

/**
 * The frequency-cap ledger, kept in the database so that every process sees the same counts.
 *
 * @example
 * const isClaimed = await caps.claim({ outboxId: 7, followerId, dayKey: '2026-11-28', weekKey: '2026-W48', dailyCap: 2, weeklyCap: 5 });
 */
export interface CapLedger {
  /**
   * Takes one daily and one weekly slot for this message, atomically: both or neither. The first
   * message to claim a slot wins; a message that already holds its slots (a retry) keeps them and
   * gets `true` again.
   */
  claim(input: CapClaim): Promise<boolean>;
}

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
 * Decides whether one marketing message may go now: consent and opt-out first, then reachability,
 * then quiet hours in the follower's zone (held, not dropped), and last a frequency-cap slot, so a
 * held or refused message never uses up a slot.
 *
 * @example
 * const decision = await checkSendGuards({ caps, settings }, { outboxId: 7, follower, now: clock.now() });
 * if (decision.action === 'hold') await outbox.hold(7, decision.until, decision.reason);
 */
export async function checkSendGuards(
  deps: { caps: CapLedger; settings: GuardSettings },
  input: { outboxId: number; follower: GuardedFollower; now: Date },
): Promise<GuardDecision> {
  const decision = checkGuardsBeforeCap(deps.settings, input);
  if (decision.action !== 'claim') return decision;
  return (await deps.caps.claim(decision.claim)) ? { action: 'send' } : { action: 'skip', reason: 'capped' };
}

/**
 * Every guard of {@link checkSendGuards} but the last: the decision, or the cap slots the message
 * still has to claim. Lets a dispatcher claim the slots of a whole batch at once.
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
