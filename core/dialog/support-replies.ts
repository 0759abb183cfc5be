import { onSaleCourses, ownedCourses, ownedCoursesReply } from './catalogue-replies.js';
import { catalogueFacts, groundedAnswer } from './grounded-answer.js';
import { menuButtons, textReply, type DialogTurn } from './dialog-turn.js';
import { ACTIONS } from './intent.js';
import type { Reply } from './reply.js';
import type { HandoffReason } from '../handoff/handoff.js';

/** Refunds are granted on request within this many days of buying (the after-sales policy the chat states). */
export const REFUND_WINDOW_DAYS = 7;

/** What a follower asked a person for; each is one audit-log entry (subject type {@link SUPPORT_REQUEST_SUBJECT}). */
export type SupportRequestKind = 'refund' | 'complaint' | 'human';

/**
 * The audit-log subject type of support requests: the console's audit log lists them all with
 * `GET /api/audit-log?subjectType=support_request`, one follower's with `&subjectId=<followerId>`.
 */
export const SUPPORT_REQUEST_SUBJECT = 'support_request';

/** Records a request for a person where the team sees it (a redelivered message never gets this far). */
async function recordSupportRequest(turn: DialogTurn, kind: SupportRequestKind, details: Record<string, unknown> = {}): Promise<void> {
  await turn.deps.repos.audit.record({
    actor: `follower:${turn.follower.id}`,
    action: `support.${kind}_requested`,
    subjectType: SUPPORT_REQUEST_SUBJECT,
    subjectId: turn.follower.id,
    details: { platform: turn.message.platform, messageId: turn.message.messageId, ...(turn.message.text ? { text: turn.message.text.slice(0, 500) } : {}), ...details },
  });
}

/** Thanks: a short answer, nothing searched. */
export function thanksReplies(turn: DialogTurn): Reply[] {
  return [textReply(turn.text.thanks)];
}

/** Small talk: a short answer that steers back to courses. */
export function smallTalkReplies(turn: DialogTurn): Reply[] {
  return [textReply(turn.text.smallTalk, menuButtons(turn))];
}

/** Something the bot does not do: what it can do, with the menu. */
export async function outOfScopeReplies(turn: DialogTurn): Promise<Reply[]> {
  const answer = turn.deps.languageModel ? await groundedAnswer(turn, catalogueFacts(await onSaleCourses(turn), turn.locale, turn.isStarsPlatform)) : undefined;
  return [textReply(answer ?? turn.text.outOfScope, menuButtons(turn))];
}

/** "I bought it, how do I study?": the courses they own and where to open them. Never a checkout. */
export async function howToStudyReplies(turn: DialogTurn): Promise<Reply[]> {
  const courses = await ownedCourses(turn);
  if (courses.length === 0) return [textReply(turn.text.howToStudyNothingOwned, menuButtons(turn))];
  return [ownedCoursesReply(turn, turn.text.howToStudy, courses)];
}

/**
 * Asks the conversation to hand the chat to a person (it opens the hand-off: it knows the chat).
 * False when this process has no hand-off desk: the request is then only recorded.
 */
function askForPerson(turn: DialogTurn, reason: HandoffReason, courseId: string | null | undefined): boolean {
  if (!turn.deps.handoff) return false;
  turn.handoff = { reason, ...(courseId ? { courseId } : {}) };
  return true;
}

/** A refund question: the after-sales policy, and a refund request a person takes up (a hand-off). */
export async function refundReplies(turn: DialogTurn, courseId: string | undefined): Promise<Reply[]> {
  await recordSupportRequest(turn, 'refund', courseId ? { courseId } : {});
  const isHandedOff = askForPerson(turn, 'refund', courseId ?? turn.memory.focusCourseId);
  return [textReply(turn.text.refund(REFUND_WINDOW_DAYS), isHandedOff ? undefined : [[{ label: turn.text.buttons.human, action: ACTIONS.human }]])];
}

/** A complaint: an apology, recorded, and handed to a person. */
export async function complaintReplies(turn: DialogTurn): Promise<Reply[]> {
  await recordSupportRequest(turn, 'complaint');
  if (askForPerson(turn, 'complaint', turn.memory.focusCourseId)) return [textReply(turn.text.complaintHandedOff)];
  return [textReply(turn.text.complaint, [[{ label: turn.text.buttons.human, action: ACTIONS.human }]])];
}

/** A wish to talk to a person: recorded for the team, and handed to a person. */
export async function humanReplies(turn: DialogTurn): Promise<Reply[]> {
  await recordSupportRequest(turn, 'human');
  if (askForPerson(turn, 'asked', turn.memory.focusCourseId)) return [textReply(turn.text.humanHandoff)];
  return [textReply(turn.text.humanRequestNoted, menuButtons(turn))];
}

/**
 * Free text not understood `misunderstoodTurnsBeforeHandoff` times in a row: handed to a person
 * instead of another "I cannot help with that". Counts only with a hand-off desk.
 */
export function notUnderstoodReplies(turn: DialogTurn): Reply[] | undefined {
  return askForPerson(turn, 'not_understood', turn.memory.focusCourseId) ? [textReply(turn.text.handoffNotUnderstood)] : undefined;
}
