import { recommendReplies } from './catalogue-replies.js';
import { tagName } from '../text/tag-names.js';
import { dialogText, ONBOARDING_TOPICS } from './dialog-text.js';
import { menuButtons, recordDerivedEvent, textReply, type DialogTurn } from './dialog-turn.js';
import { ACTIONS } from './intent.js';
import type { Locale } from '../followers/follower.js';
import type { FollowerPatch } from '../followers/follower.js';
import type { Button, Reply } from './reply.js';

/** Two topics per row keeps the keyboard readable on a phone. */
function topicButtons(turn: DialogTurn): Button[][] {
  const rows: Button[][] = [];
  ONBOARDING_TOPICS.forEach((topic, i) => {
    if (i % 2 === 0) rows.push([]);
    rows[rows.length - 1]!.push({ label: turn.locale === 'en' ? topic.en : topic.zh, action: ACTIONS.topic(topic.tag) });
  });
  rows.push([{ label: turn.text.topicsDone, action: ACTIONS.topicsDone }]);
  return rows;
}

/** `/start`: a welcome and the interest onboarding in private chats; a short welcome in groups. */
export function startReplies(turn: DialogTurn): Reply[] {
  if (turn.message.chatKind === 'group') return [textReply(turn.text.welcomeBack(turn.follower.displayName), menuButtons(turn))];
  return [textReply(turn.text.welcome(turn.follower.displayName), topicButtons(turn))];
}

/** A topic tapped during onboarding feeds the persona as a message naming the topic. */
export async function topicReplies(turn: DialogTurn, tag: string): Promise<Reply[]> {
  await recordDerivedEvent(turn, `topic:${tag}`, { kind: 'message', payload: { text: tag, topic: tag } });
  return [textReply(turn.text.topicNoted(tagName(tag, turn.locale)))];
}

/** After the topics: the marketing-consent question (PIPL/GDPR: marketing needs consent). */
export function onboardingDoneReplies(turn: DialogTurn): Reply[] {
  return [
    textReply(turn.text.consentQuestion, [[
      { label: turn.text.consentYes, action: ACTIONS.consent(true) },
      { label: turn.text.consentNo, action: ACTIONS.consent(false) },
    ]]),
  ];
}

async function updateFollower(turn: DialogTurn, patch: FollowerPatch, action: string): Promise<void> {
  await turn.deps.uow.run(async (repos) => {
    await repos.followers.update(turn.follower.id, patch);
    await repos.audit.record({ actor: `follower:${turn.follower.id}`, action, subjectType: 'follower', subjectId: turn.follower.id, details: { ...patch, via: turn.message.platform } });
  });
}

/** The consent answer, then the first picks. */
export async function consentReplies(turn: DialogTurn, isGiven: boolean): Promise<Reply[]> {
  await updateFollower(turn, { hasMarketingConsent: isGiven, ...(isGiven ? { isOptedOut: false } : {}) }, isGiven ? 'consent.marketing_given' : 'consent.marketing_declined');
  return [textReply(isGiven ? turn.text.consentGiven : turn.text.consentDeclined), ...(await recommendReplies(turn))];
}

/** One-word opt-out: no marketing from any campaign until they resubscribe. */
export async function unsubscribeReplies(turn: DialogTurn): Promise<Reply[]> {
  const resubscribe = [[{ label: turn.text.buttons.resubscribe, action: ACTIONS.resubscribe }]];
  if (turn.follower.isOptedOut) return [textReply(turn.text.alreadyUnsubscribed, resubscribe)];
  await updateFollower(turn, { isOptedOut: true, hasMarketingConsent: false }, 'consent.opted_out');
  return [textReply(turn.text.unsubscribed, resubscribe)];
}

export async function resubscribeReplies(turn: DialogTurn): Promise<Reply[]> {
  await updateFollower(turn, { isOptedOut: false, hasMarketingConsent: true }, 'consent.resubscribed');
  return [textReply(turn.text.resubscribed, menuButtons(turn))];
}

/** Switches to the named language, or asks which one. */
export async function languageReplies(turn: DialogTurn, locale: Locale | undefined): Promise<Reply[]> {
  if (!locale) {
    return [textReply(turn.text.chooseLanguage, [[{ label: '中文', action: ACTIONS.language('zh-CN') }, { label: 'English', action: ACTIONS.language('en') }]])];
  }
  if (locale !== turn.follower.locale) await updateFollower(turn, { locale }, 'follower.locale_changed');
  const text = dialogText(locale);
  return [textReply(text.languageSet, menuButtons({ ...turn, locale, text }))];
}
