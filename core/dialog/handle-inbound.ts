import { NotFoundError, ValidationError } from '../errors.js';
import type { Follower } from '../followers/follower.js';
import type { DialogMemory } from '../ports/dialog-memory.js';
import { loadIntentModel, matchCourseReference, understandMessage } from '../understanding/index.js';
import { consentReplies, languageReplies, onboardingDoneReplies, resubscribeReplies, startReplies, topicReplies, unsubscribeReplies } from './account-replies.js';
import { browseReplies, courseInfoReplies, courseTitlesOf, myCoursesReplies, onSaleCourses, recommendReplies, searchReplies } from './catalogue-replies.js';
import { dialogText } from './dialog-text.js';
import { freshMemory, memoryAfter } from './dialog-memory.js';
import { menuButtons, textReply, type DialogDeps, type DialogTurn, type HandoffRequest } from './dialog-turn.js';
import { inboundMessageSchema, type InboundMessage } from './inbound-message.js';
import { ACTIONS, couponCodeInText, intentOfAction, intentOfCommand, isInviteRequest, type Intent } from './intent.js';
import { inviteReplies } from './invite-replies.js';
import { useCouponReplies } from './coupon-replies.js';
import { intentOfText, isAboutOneCourse } from './intent-of-text.js';
import { buyReplies, cancelPurchaseReplies, cheaperReplies, confirmPurchaseReplies } from './purchase-replies.js';
import type { Reply } from './reply.js';
import { complaintReplies, howToStudyReplies, humanReplies, notUnderstoodReplies, outOfScopeReplies, refundReplies, smallTalkReplies, thanksReplies } from './support-replies.js';

/**
 * The intent of a message: commands and buttons map directly; free text is read by the
 * understanding model (course titles matched against the on-sale catalogue when the intent is
 * about one course) and resolved against the follower's dialog memory.
 */
async function intentOf(turn: DialogTurn): Promise<Intent> {
  const { message } = turn;
  if (message.command) return intentOfCommand(message.command.name, message.command.args) ?? { kind: 'out_of_scope' };
  if (message.action) return intentOfAction(message.action) ?? { kind: 'out_of_scope' };
  const text = message.text ?? '';
  // A coupon code is read by its exact pattern before the model, like a command.
  const couponCode = couponCodeInText(text);
  if (couponCode) return { kind: 'use_coupon', code: couponCode };
  if (isInviteRequest(text)) return { kind: 'invite' };
  const understanding = understandMessage(turn.deps.intentModel ?? loadIntentModel(), text);
  // Matching course titles costs about a millisecond over the whole catalogue: only for the intents that use a named course.
  if (!isAboutOneCourse(understanding.intent)) return intentOfText(understanding, text, turn.memory);
  const course = matchCourseReference(text, courseTitlesOf(await onSaleCourses(turn)));
  return intentOfText(course ? { ...understanding, entities: { ...understanding.entities, course } } : understanding, text, turn.memory);
}

async function reply(turn: DialogTurn, intent: Intent): Promise<Reply[]> {
  switch (intent.kind) {
    case 'start':
      return startReplies(turn);
    case 'help':
      return [textReply(turn.text.help, menuButtons(turn))];
    case 'greeting':
      return [textReply(turn.text.greeting(turn.follower.displayName), menuButtons(turn))];
    case 'thanks':
      return thanksReplies(turn);
    case 'small_talk':
      return smallTalkReplies(turn);
    case 'out_of_scope':
      return outOfScopeReplies(turn);
    case 'recommend':
      return recommendReplies(turn, { tags: intent.tags, ...(intent.budget ? { budget: intent.budget } : {}) });
    case 'browse':
      return browseReplies(turn, intent.page);
    case 'search':
      return searchReplies(turn, intent.query, intent.tags, intent.budget);
    case 'course_info':
      return courseInfoReplies(turn, intent.course, intent.aspect);
    case 'buy':
      return confirmPurchaseReplies(turn, intent.course);
    case 'confirm_purchase':
      return buyReplies(turn, intent.courseId, intent.couponCode);
    case 'use_coupon':
      return useCouponReplies(turn, intent.code, intent.courseId);
    case 'invite':
      return inviteReplies(turn);
    case 'cancel_purchase':
      return cancelPurchaseReplies(turn);
    case 'price_objection':
      return cheaperReplies(turn, intent.course, intent.tags, intent.budget);
    case 'my_courses':
      return myCoursesReplies(turn);
    case 'how_to_study':
      return howToStudyReplies(turn);
    case 'refund':
      return refundReplies(turn, intent.courseId);
    case 'complaint':
      return complaintReplies(turn);
    case 'human':
      return humanReplies(turn);
    case 'unsubscribe':
      return unsubscribeReplies(turn);
    case 'resubscribe':
      return resubscribeReplies(turn);
    case 'switch_language':
      return languageReplies(turn, intent.locale);
    case 'topic':
      return topicReplies(turn, intent.tag);
    case 'onboarding_done':
      return onboardingDoneReplies(turn);
    case 'consent':
      return consentReplies(turn, intent.isGiven);
  }
}

/**
 * Whether a turn needs the stored memory: free text and Cancel do; other commands and buttons do not, and their
 * turn starts from an empty memory, so it stores only a list, focus or question it shows (a turn
 * that shows none leaves the stored memory as it was).
 *
 * @example
 * isMemoryRead({ text: '第二个' }) // true
 */
export function isMemoryRead(message: Pick<InboundMessage, 'text' | 'action'>): boolean {
  // Cancel closes the open question and keeps the rest (the list stays for "the first one").
  return message.text !== undefined || message.action === ACTIONS.cancelBuy;
}

/**
 * Counts free text the dialog did not understand, in a row (in the dialog memory); true when the
 * count reaches the hand-off threshold (the count then starts again).
 */
function isMisunderstoodTooOften(turn: DialogTurn, intent: Intent): boolean {
  if (turn.message.text === undefined) return false;
  const before = turn.memory.misunderstoodTurns ?? 0;
  if (intent.kind !== 'out_of_scope') {
    if (before > 0) turn.change.misunderstoodTurns = 0;
    return false;
  }
  const limit = turn.deps.handoff?.misunderstoodTurnsBeforeHandoff ?? 0;
  const count = before + 1;
  const isTooOften = limit > 0 && count >= limit;
  turn.change.misunderstoodTurns = isTooOften ? 0 : count;
  return isTooOften;
}

/**
 * What one turn produced: the replies, the dialog memory to store (undefined when unchanged), and
 * a request to hand the chat to a person. `isHeld`: the turn was not answered because its intent
 * is not among `onlyIntents` (a person handles the chat); nothing was done or stored.
 */
export interface DialogOutcome {
  replies: Reply[];
  memory?: DialogMemory;
  handoff?: HandoffRequest;
  isHeld?: boolean;
}

/**
 * {@link handleInbound} without storing the memory: the caller stores `outcome.memory` itself, at
 * the same time as it queues the replies. `options.memory` is the follower's stored memory when
 * the caller has read it already (null: there is none); without it the turn reads it, alongside
 * the follower when that is needed too.
 *
 * @example
 * const { replies, memory } = await answerDialogTurn(deps, message, { follower });
 * await Promise.all([outbox.enqueue(to, replies, options), memory && deps.memory.remember([{ followerId: follower.id, memory }])]);
 */
export async function answerDialogTurn(
  deps: DialogDeps,
  inbound: InboundMessage,
  options: { follower?: Follower; memory?: DialogMemory | null; onlyIntents?: ReadonlySet<Intent['kind']> } = {},
): Promise<DialogOutcome> {
  const parsed = inboundMessageSchema.safeParse(inbound);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError('invalid_inbound_message', `${issue.path.join('.') || 'message'}: ${issue.message}`);
  }
  const message = parsed.data;
  // The adapter may hand over the follower it just read (saving a round trip); only if it is this one.
  const given = options.follower?.id === message.followerId ? options.follower : undefined;
  // Only free text refers to earlier turns ("the second one"); a command or button names what it
  // means, so its turn reads no memory and only writes what it shows (see isMemoryRead).
  const stored = options.memory !== undefined || !isMemoryRead(message) ? options.memory : deps.memory.recall([message.followerId]).then((found) => found.get(message.followerId) ?? null);
  // Independent reads: issued together so the turn waits for one round trip, not two.
  const [follower, recalled] = await Promise.all([given ?? deps.repos.followers.findById(message.followerId), stored]);
  if (!follower) throw new NotFoundError('follower_not_found', `No follower ${message.followerId}; record the message's event with an identity first.`);
  const now = deps.clock.now();
  const memory = freshMemory(recalled, now);
  const turn: DialogTurn = {
    deps,
    message,
    follower,
    locale: follower.locale,
    text: dialogText(follower.locale),
    isStarsPlatform: deps.checkoutProvider === 'telegram_stars',
    memory,
    change: {},
  };
  const intent = await intentOf(turn);
  if (options.onlyIntents && !options.onlyIntents.has(intent.kind)) return { replies: [], isHeld: true };
  const replies = (isMisunderstoodTooOften(turn, intent) ? notUnderstoodReplies(turn) : undefined) ?? (await reply(turn, intent));
  const next = memoryAfter(memory, replies, turn.change, now, { isBlind: recalled === undefined });
  return { replies, ...(next ? { memory: next } : {}), ...(turn.handoff ? { handoff: turn.handoff } : {}) };
}

/**
 * Answers one follower message on any platform: works out the intent (command, button, or free
 * text in Chinese or English read by the understanding model and resolved against the follower's
 * dialog memory: "the second one" is the second course of the list last shown), does what it asks
 * (browse, search, recommend, confirm and buy, opt out, …) and returns the replies in the
 * follower's language for the adapter to render; the memory is stored before it returns.
 * `options.follower` is the follower as the adapter read it after recording the message, to skip
 * reading it again. The adapter records the raw message as an event first; the dialog records only
 * what it derives (topics picked, courses viewed, checkouts), keyed on `messageId` so a redelivered
 * message changes nothing twice.
 *
 * @example
 * const replies = await handleInbound(deps, { platform: 'telegram', followerId, messageId: 'bot1:1001',
 *   locale: 'en', chatKind: 'private', text: 'any photography course?' });
 */
export async function handleInbound(deps: DialogDeps, inbound: InboundMessage, options: { follower?: Follower; memory?: DialogMemory | null } = {}): Promise<Reply[]> {
  const outcome = await answerDialogTurn(deps, inbound, options);
  if (outcome.memory) await deps.memory.remember([{ followerId: inbound.followerId, memory: outcome.memory }]);
  return outcome.replies;
}
