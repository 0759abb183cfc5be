import type { Reply } from './reply.js';
import type { DialogMemory, PendingQuestion } from '../ports/dialog-memory.js';

/** After this long without a turn the chat forgets the list, the focus and any open question. */
export const DIALOG_MEMORY_TTL_MS = 30 * 60_000;

/** What a turn changes in the memory besides the list it shows (which is read from its replies). */
export interface MemoryChange {
  focusCourseId?: string | null;
  /** Open questions last one turn: unless the turn asks again, the question is closed. */
  pending?: PendingQuestion | null;
  /** Free-text turns in a row not understood (0 resets the count). */
  misunderstoodTurns?: number;
}

const emptyMemory = (at: Date): DialogMemory => ({ lastList: [], focusCourseId: null, pending: null, updatedAt: at });

/**
 * The memory as the dialog may use it now: the stored one, or an empty one when there is none or
 * it is older than {@link DIALOG_MEMORY_TTL_MS}.
 *
 * @example
 * freshMemory(null, now) // { lastList: [], focusCourseId: null, pending: null, updatedAt: now }
 */
export function freshMemory(stored: DialogMemory | null | undefined, now: Date): DialogMemory {
  if (!stored || now.getTime() - stored.updatedAt.getTime() > DIALOG_MEMORY_TTL_MS) return emptyMemory(now);
  return stored;
}

/**
 * The memory after a turn: the last course list its replies showed (one course shown alone is also
 * the course in focus), the focus and open question it set; undefined when nothing changed and the
 * stored row is still fresh enough to keep (a turn half the expiry after the last write rewrites it).
 * `isBlind`: the turn did not read the stored memory (a button or command), so it stores a new one
 * only when it showed courses or set a focus or a question (Cancel clears the open question).
 *
 * @example
 * memoryAfter(memory, [{ type: 'course_cards', cards }], {}, now) // { lastList: cards' ids, … }
 */
export function memoryAfter(memory: DialogMemory, replies: readonly Reply[], change: MemoryChange, now: Date, options: { isBlind?: boolean } = {}): DialogMemory | undefined {
  const shown = replies.filter((r): r is Extract<Reply, { type: 'course_cards' }> => r.type === 'course_cards' && r.cards.length > 0).at(-1);
  const lastList = shown ? shown.cards.map((c) => c.courseId) : memory.lastList;
  const shownAlone = shown?.cards.length === 1 ? shown.cards[0]!.courseId : undefined;
  const focusCourseId = change.focusCourseId !== undefined ? change.focusCourseId : (shownAlone ?? memory.focusCourseId);
  const pending = change.pending ?? null;
  const misunderstoodTurns = change.misunderstoodTurns ?? memory.misunderstoodTurns ?? 0;
  const next: DialogMemory = { lastList, focusCourseId, pending, updatedAt: now, ...(misunderstoodTurns > 0 ? { misunderstoodTurns } : {}) };
  // A turn that did not read the stored memory replaces it only when it showed or set something.
  if (options.isBlind) return shown || Object.keys(change).length > 0 ? next : undefined;
  const isSame =
    lastList.length === memory.lastList.length &&
    lastList.every((id, i) => id === memory.lastList[i]) &&
    focusCourseId === memory.focusCourseId &&
    misunderstoodTurns === (memory.misunderstoodTurns ?? 0) &&
    JSON.stringify(pending) === JSON.stringify(memory.pending);
  if (isSame && now.getTime() - memory.updatedAt.getTime() < DIALOG_MEMORY_TTL_MS / 2) return undefined;
  if (isSame && lastList.length === 0 && focusCourseId === null && pending === null && misunderstoodTurns === 0) return undefined;
  return next;
}
