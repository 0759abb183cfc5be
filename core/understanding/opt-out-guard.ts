import { editDistance } from './edit-distance.js';

/*
 * A high-precision opt-out lexicon, read on normalized text (simplified, lowercase, half-width).
 * Each pattern is a way of saying "stop messaging me" that means nothing else in this product; a
 * bare "stop" counts only as the whole message. The veto patterns are the few ways of saying the
 * opposite that contain an opt-out phrase ("取消退订", "don't unsubscribe me", "subscribe again").
 */
const OPT_OUT: readonly RegExp[] = [
  /退订|取消订阅|拒收|请勿打扰|勿扰|^td$/,
  /(别|不要|不用|勿)再(给我|跟我|向我)?(发|传|推|推送|推荐|打扰|骚扰|联系)/,
  /(别|不要|不用)(给我|跟我)(发|推送)|(别|不要)(发|推送)了|(别|不要|请勿)(打扰|骚扰)/,
  /(别|不要|不用|勿)再?(发|推)?(营销|推广|广告)/,
  /(不想|不要|不愿意?|不再)再?(收到|接收)|不要(推送|推销)|别推销|推销了|(移出|移除).{0,3}(名单|列表)|取消营销/,
  /停止(推送|发送|发消息|通知|提醒)|取消(所有)?(的)?(营销|推广)?(推送|消息|通知)/,
  /(关掉|关闭|关了|停掉)(所有)?(的)?(消息)?(推送|通知|提醒|消息)/,
  /把我从.{0,6}(名单|列表).{0,3}(删|移)/,
  /^(\/|please |pls |so |ok,? |hi,? |hey,? |um )?stop[ ,.!。！?]*(please|pls|thanks|now)?[.!。！?]*$|\bunsub|\bopt(-| )?out\b|\bopt (me|us) out\b/,
  /^(please |pls |um |hi,? )?remove me\b|\bstop (the |these |your )?(messages|promotions|promos|ads|notifications)\b|\bno more (marketing|promotional)\b|\bcancel (my |the )?subscription\b/,
  /\bst[o]?p (send|messag|text|spam|email|contact|notif|push|ping)/,
  /\b(don'?t|do not|never) (send|message|text|email|contact|spam|ping) me\b/,
  /\bno more (messages|message|ads|promotions|promos|offers|emails|notifications|spam)\b/,
  /\b(remove|take) me (off|from) (your|the|this)( \w+)? list\b/,
  /\b(turn off|mute|disable|switch off) (all )?(the |these |your |my )?(notifications|messages|updates|alerts)\b/,
  /\bcancel (my|the) subscription\b|\bleave me alone\b/,
  /\b(don'?t|do not|no longer) want (to receive |to get |any )?(these|your|any|more)? ?(messages|updates|offers|ads|notifications|emails)\b/,
];

const KEEP_SUBSCRIBED: readonly RegExp[] = [
  /(取消|撤销|撤回)退订|不退订|别退订|不要退订|重新订阅|恢复订阅|再次订阅|(?<!不)(想|要)订阅|(?<![别不要])继续(推送|发)|退订了?.{0,6}(想|要)?恢复/,
  /\b(don'?t|do not|not) (unsub|opt out)|\bresub|\bre-subscribe|\bsubscribe again\b|\bopt (me |us )?back in\b|\bundo (the |my )?unsub|\bunmute\b|\bback on\b|\bkeep sending\b|\badd me back\b/,
];

/*
 * What an opt-out is about: messages, pushes, ads, notifications, a list. A message the model reads
 * as `unsubscribe` that names none of these ("stop the music", "不要香菜", "turn off the lights") is
 * not taken as one. English words count within one typo ("mesasges", "prmootions").
 */
const MESSAGING_ZH = /消息|信息|讯息|短信|推送|广告|营销|推广|推销|通知|提醒|打扰|骚扰|订阅|名单|列表|群发|(别|不要|不用|勿|再)发(?!票|火|烧|展|现|布|型|表)|发(给我|了|消息)/;
const MESSAGING_EN = ['message', 'messages', 'messaging', 'promotion', 'promotions', 'promo', 'promos', 'marketing', 'notification', 'notifications', 'subscription', 'newsletter', 'sending', 'send', 'texting', 'emails', 'spam', 'ads', 'offers', 'list', 'updates', 'alerts'];
const STOP_WORDS_EN = ['stop', 'remove', 'enough'];
const FILLERS_EN = new Set(['please', 'pls', 'plz', 'um', 'uh', 'ok', 'me', 'now', 'it', 'just', 'already']);

function nearWord(word: string, candidates: readonly string[]): boolean {
  return candidates.some((candidate) => editDistance(word, candidate, candidate.length >= 6 ? 2 : candidate.length >= 4 ? 1 : 0) <= (candidate.length >= 6 ? 2 : candidate.length >= 4 ? 1 : 0));
}

/**
 * Whether normalized text is about messages (pushes, ads, a list …) or is a bare plea to stop: the
 * condition for reading it as `unsubscribe` when the opt-out lexicon did not.
 *
 * @example
 * mentionsMessaging('stop sedning') // true
 * mentionsMessaging('stop the music') // false
 */
export function mentionsMessaging(normalized: string): boolean {
  if (MESSAGING_ZH.test(normalized)) return true;
  const words = normalized.match(/[a-z]+/g) ?? [];
  if (words.some((word) => nearWord(word, MESSAGING_EN))) return true;
  // A bare plea of one or two words besides fillers: "pelase stop", "rmeove me".
  const content = words.filter((word) => !FILLERS_EN.has(word) && !nearWord(word, ['please']));
  return content.length <= 1 && content.some((word) => nearWord(word, STOP_WORDS_EN));
}

export type OptOutReading = 'opt_out' | 'keep_subscribed' | 'none';

/**
 * What the opt-out lexicon says about normalized text: an unmistakable opt-out, an explicit wish to
 * stay subscribed (which vetoes an `unsubscribe` from the model), or nothing.
 *
 * @example
 * readOptOut('别再给我发广告了') // 'opt_out'
 * readOptOut('取消退订') // 'keep_subscribed'
 */
export function readOptOut(normalized: string): OptOutReading {
  if (KEEP_SUBSCRIBED.some((pattern) => pattern.test(normalized))) return 'keep_subscribed';
  if (OPT_OUT.some((pattern) => pattern.test(normalized))) return 'opt_out';
  return 'none';
}
