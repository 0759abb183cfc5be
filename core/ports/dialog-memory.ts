/**
 * A question the chat asked and is waiting on: a purchase to confirm (the card showed this
 * course), or which course of the list just shown to buy.
 */
export type PendingQuestion = { kind: 'confirm_purchase'; courseId: string } | { kind: 'choose_course'; purpose: 'buy' };

/** What the chat remembers of one follower between messages. */
export interface DialogMemory {
  /** Course ids of the list last shown, in the order shown ("the second one" is index 1). */
  lastList: string[];
  /** The course the follower looked at last ("this one", "buy it"). */
  focusCourseId: string | null;
  pending: PendingQuestion | null;
  updatedAt: Date;
}

/**
 * Dialog memory per follower, shared by every process (a row per follower). `recall` returns the
 * row as stored, however old: expiry is the dialog's rule.
 *
 * @example
 * await store.remember(followerId, { lastList: [a, b], focusCourseId: null, pending: null, updatedAt: now });
 * (await store.recall(followerId))?.lastList // [a, b]
 */
export interface DialogMemoryStore {
  recall(followerId: string): Promise<DialogMemory | null>;
  remember(followerId: string, memory: DialogMemory): Promise<void>;
}
