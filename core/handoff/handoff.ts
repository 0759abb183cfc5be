import type { Platform } from '../events/event-types.js';
import type { Page } from '../ports/repositories.js';

/** Why a follower's chat went to a person: asked for one, not understood several times in a row, a refund request, a complaint. */
export const HANDOFF_REASONS = ['asked', 'not_understood', 'refund', 'complaint'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** `open`: no staff reply yet; `answered`: staff replied at least once; `closed`: the bot is back. */
export const HANDOFF_STATUSES = ['open', 'answered', 'closed'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/**
 * Free-text turns in a row the dialog does not understand before the chat goes to a person, unless
 * configured otherwise (`HANDOFF_AFTER_MISUNDERSTOOD`; 0 turns it off).
 */
export const DEFAULT_MISUNDERSTOOD_TURNS_BEFORE_HANDOFF = 3;

/** A conversation handed from the bot to a person, in the console inbox. */
export interface Handoff {
  id: string;
  followerId: string;
  /** The creator whose inbox it is in besides the admins' (null: admins only). */
  creatorId: string | null;
  /** The course it is about, when one is known. */
  courseId: string | null;
  /** The chat it was opened from; staff replies go there through this platform's bot. */
  platform: Platform;
  chatId: string;
  reason: HandoffReason;
  status: HandoffStatus;
  openedAt: Date;
  /** Since when the follower has been waiting for a person (null: the last word was staff's). */
  waitingSince: Date | null;
  firstResponseAt: Date | null;
  lastActivityAt: Date;
  closedAt: Date | null;
  closedBy: string | null;
}

/** A staff reply, sent through the bot of the hand-off's platform. */
export interface StaffMessage {
  id: string;
  handoffId: string;
  /** The client's idempotency key: the same key is the same reply. */
  clientKey: string;
  /** Who wrote it, as the audit log names them (`account:<uuid>`). */
  author: string;
  text: string;
  status: 'sending' | 'sent' | 'failed';
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/**
 * The chat path's side of hand-offs: opening one (at most one not closed per follower) and noting
 * the follower's messages while a person handles it.
 *
 * @example
 * const { handoff, isNew } = await desk.open({ followerId, platform: 'telegram', chatId: '42', reason: 'asked', at: now });
 * const noted = await desk.noteFollowerMessage(followerId, now); // { handoffId, isNoticeDue: true } the first time
 */
export interface HandoffDesk {
  /**
   * Opens a hand-off for the follower unless one is open already (then that one, `isNew` false),
   * and marks the follower as handled by a person. `courseId` is the course it is about, if the
   * chat knows; otherwise the follower's latest paid course. Its creator's inbox shows it.
   */
  open(request: { followerId: string; platform: Platform; chatId: string; reason: HandoffReason; courseId?: string | null; at: Date }): Promise<{ handoff: Handoff; isNew: boolean }>;
  /**
   * A follower message while their hand-off is open: they wait for a person again. `isNoticeDue`
   * is true once per hand-off (the one "a person will reply" notice, claimed here). Null when no
   * hand-off is open (closed meanwhile).
   */
  noteFollowerMessage(followerId: string, at: Date): Promise<{ handoffId: string; isNoticeDue: boolean } | null>;
}

/** One row of the inbox list. */
export interface InboxItem extends Handoff {
  followerName: string | null;
  courseTitle: { zh: string; en: string } | null;
}

export interface InboxQuery {
  statuses: readonly HandoffStatus[];
  /** Only this creator's hand-offs (creators never see the filter lifted). */
  creatorId?: string;
  page: number;
  pageSize: number;
}

/** A follower's text message, as recorded in the event log. */
export interface FollowerText {
  at: Date;
  text: string;
  platform: Platform;
}

/**
 * The console's side of hand-offs: the inbox (waiting ones first, oldest wait first), a thread's
 * parts, staff replies keyed by the client's key, and closing.
 *
 * @example
 * const page = await inbox.list({ statuses: ['open', 'answered'], page: 1, pageSize: 50 });
 */
export interface HandoffInbox {
  list(query: InboxQuery): Promise<Page<InboxItem>>;
  findById(id: string): Promise<InboxItem | null>;
  staffMessages(handoffId: string): Promise<StaffMessage[]>;
  /** The follower's text messages at or after `since`, oldest first, at most `limit` (the latest ones). */
  followerTexts(followerId: string, since: Date, limit: number): Promise<FollowerText[]>;
  /** Stores a staff reply under its client key, or returns the one already stored under it (`isNew` false). */
  addStaffMessage(message: { handoffId: string; clientKey: string; author: string; text: string; at: Date }): Promise<{ message: StaffMessage; isNew: boolean }>;
  /** Records how the send went; a sent reply answers the hand-off (first response, no longer waiting). */
  finishStaffMessage(id: string, outcome: { status: 'sent' | 'failed'; error?: string }, at: Date): Promise<StaffMessage>;
  /** Closes the hand-off and gives the follower back to the bot; `isNew` false when it was closed already. */
  close(id: string, actor: string, at: Date): Promise<{ handoff: Handoff; isNew: boolean }>;
}

export type { Page };
