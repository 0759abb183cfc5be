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
  /** Free-text turns in a row the dialog did not understand (absent: none). */
  misunderstoodTurns?: number;
  updatedAt: Date;
}

/**
 * Dialog memory per follower, shared by every process (a row per follower). `recall` returns the
 * rows as stored, however old (expiry is the dialog's rule), by follower id; `remember` writes one
 * row per follower. Both take many followers so concurrent chat turns share one statement.
 *
 * @example
 * await store.remember([{ followerId, memory: { lastList: [a, b], focusCourseId: null, pending: null, updatedAt: now } }]);
 * (await store.recall([followerId])).get(followerId)?.lastList // [a, b]
 */
export interface DialogMemoryStore {
  recall(followerIds: readonly string[]): Promise<Map<string, DialogMemory>>;
  remember(entries: ReadonlyArray<{ followerId: string; memory: DialogMemory }>): Promise<void>;
}
