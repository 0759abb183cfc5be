import { NotFoundError, ValidationError } from '../errors.js';
import { consentReplies, languageReplies, onboardingDoneReplies, resubscribeReplies, startReplies, topicReplies, unsubscribeReplies } from './account-replies.js';
import { browseReplies, courseInfoReplies, myCoursesReplies, recommendReplies, searchReplies } from './catalogue-replies.js';
import { classifyIntent } from './classify-intent.js';
import { dialogText } from './dialog-text.js';
import { menuButtons, textReply, type DialogDeps, type DialogTurn } from './dialog-turn.js';
import { inboundMessageSchema, type InboundMessage, type ValidInboundMessage } from './inbound-message.js';
import { intentOfAction, intentOfCommand, type Intent } from './intent.js';
import { buyReplies } from './purchase-replies.js';
import type { Reply } from './reply.js';
import type { Follower } from '../followers/follower.js';

/** The intent of a message: commands and buttons map directly, free text is classified. */
export function intentOf(message: ValidInboundMessage): Intent {
  if (message.command) return intentOfCommand(message.command.name, message.command.args) ?? { kind: 'fallback', text: `/${message.command.name}` };
  if (message.action) return intentOfAction(message.action) ?? { kind: 'fallback', text: '' };
  return classifyIntent(message.text ?? '');
}

async function reply(turn: DialogTurn, intent: Intent): Promise<Reply[]> {
  switch (intent.kind) {
    case 'start':
      return startReplies(turn);
    case 'help':
      return [textReply(turn.text.help, menuButtons(turn))];
    case 'greeting':
      return [textReply(turn.text.greeting(turn.follower.displayName), menuButtons(turn))];
    case 'recommend':
      return recommendReplies(turn);
    case 'browse':
      return browseReplies(turn, intent.page);
    case 'search':
      return searchReplies(turn, intent.query, intent.tags);
    case 'course_info':
      return courseInfoReplies(turn, intent.courseId, intent.query);
    case 'buy':
      return buyReplies(turn, intent.courseId, intent.query);
    case 'my_courses':
      return myCoursesReplies(turn);
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
    case 'fallback':
      return [textReply(turn.text.fallback, menuButtons(turn))];
  }
}

/**
 * Answers one follower message on any platform: works out the intent (command, button or free
 * text in Chinese or English), does what it asks (browse, search, recommend, buy, opt out, …) and
 * returns the replies in the follower's language for the adapter to render. `options.follower` is
 * the follower as the adapter read it after recording the message, to skip reading it again. The adapter records
 * the raw message as an event first; the dialog records only what it derives (topics picked,
 * courses viewed, checkouts), keyed on `messageId` so a redelivered message changes nothing twice.
 *
 * @example
 * const replies = await handleInbound(deps, { platform: 'telegram', followerId, messageId: 'bot1:1001',
 *   locale: 'en', chatKind: 'private', text: 'any photography course?' });
 */
export async function handleInbound(deps: DialogDeps, inbound: InboundMessage, options: { follower?: Follower } = {}): Promise<Reply[]> {
  const parsed = inboundMessageSchema.safeParse(inbound);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError('invalid_inbound_message', `${issue.path.join('.') || 'message'}: ${issue.message}`);
  }
  const message = parsed.data;
  // The adapter may hand over the follower it just read (saving a round trip); only if it is this one.
  const follower = options.follower?.id === message.followerId ? options.follower : await deps.repos.followers.findById(message.followerId);
  if (!follower) throw new NotFoundError('follower_not_found', `No follower ${message.followerId}; record the message's event with an identity first.`);
  const locale = follower.locale;
  const turn: DialogTurn = {
    deps,
    message,
    follower,
    locale,
    text: dialogText(locale),
    isStarsPlatform: deps.checkoutProvider === 'telegram_stars',
  };
  return reply(turn, intentOf(message));
}
