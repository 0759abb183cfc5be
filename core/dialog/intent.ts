import type { Locale } from '../followers/follower.js';
import type { Budget } from '../understanding/index.js';

/**
 * Which course a message is about, and how the follower pointed at it. Only `tapped`, `from_list`,
 * `in_focus` and a `named` course with a high score may lead to a purchase confirmation; an
 * `unresolved` one is asked about with a list.
 */
export type CourseChoice =
  | { kind: 'tapped'; courseId: string }
  | { kind: 'from_list'; courseId: string }
  | { kind: 'in_focus'; courseId: string }
  | { kind: 'named'; courseId: string; score: number }
  | { kind: 'unresolved'; tags: string[]; query?: string };

/** What a follower wants, whichever way they said it (command, button or free text). */
export type Intent =
  | { kind: 'start'; payload: string }
  | { kind: 'help' }
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'small_talk' }
  | { kind: 'out_of_scope' }
  | { kind: 'recommend'; tags: string[]; budget?: Budget }
  | { kind: 'browse'; page: number }
  | { kind: 'search'; query: string; tags: string[]; budget?: Budget }
  | { kind: 'course_info'; course: CourseChoice; aspect: 'price' | 'details' }
  | { kind: 'buy'; course: CourseChoice }
  | { kind: 'confirm_purchase'; courseId: string; couponCode?: string }
  | { kind: 'use_coupon'; code: string; courseId?: string }
  | { kind: 'invite' }
  | { kind: 'cancel_purchase' }
  | { kind: 'price_objection'; course?: CourseChoice; tags: string[]; budget?: Budget }
  | { kind: 'my_courses' }
  | { kind: 'how_to_study' }
  | { kind: 'refund'; courseId?: string }
  | { kind: 'complaint' }
  | { kind: 'human' }
  | { kind: 'unsubscribe' }
  | { kind: 'resubscribe' }
  | { kind: 'switch_language'; locale?: Locale }
  | { kind: 'topic'; tag: string }
  | { kind: 'onboarding_done' }
  | { kind: 'consent'; isGiven: boolean };

/** Button callback data the dialog emits; every one stays well under Telegram's 64 bytes. */
export const ACTIONS = {
  page: (page: number) => `page:${page}`,
  info: (courseId: string) => `info:${courseId}`,
  buy: (courseId: string) => `buy:${courseId}`,
  /** Confirm on the purchase confirmation card: the only button that opens a checkout. */
  confirmBuy: (courseId: string) => `pay:${courseId}`,
  /** Confirm on a card priced with a coupon: the course id in 22 base64url characters keeps it under 64 bytes. */
  confirmBuyWithCoupon: (courseId: string, code: string) => `payc:${packCourseId(courseId)}:${code}`,
  /** A coupon button (on a broadcast or a card): as if the follower typed the code; with a course, for that course. */
  coupon: (code: string, courseId?: string) => (courseId ? `cpn:${code}:${packCourseId(courseId)}` : `cpn:${code}`),
  cancelBuy: 'nobuy',
  human: 'human',
  topic: (tag: string) => `topic:${tag}`,
  topicsDone: 'topics:done',
  consent: (isGiven: boolean) => `consent:${isGiven ? 'yes' : 'no'}`,
  language: (locale: Locale) => `lang:${locale}`,
  recommend: 'rec',
  myCourses: 'my',
  help: 'help',
  /** "Invite friends": the follower's own referral link. */
  invite: 'invite',
  resubscribe: 'resub',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A course id in 22 base64url characters, so a button naming a course and a coupon stays under 64 bytes. */
function packCourseId(courseId: string): string {
  return Buffer.from(courseId.replaceAll('-', ''), 'hex').toString('base64url');
}

/** The course id {@link packCourseId} packed, or undefined. */
function unpackCourseId(packed: string): string | undefined {
  const hex = /^[A-Za-z0-9_-]{22}$/.test(packed) ? Buffer.from(packed, 'base64url').toString('hex') : '';
  const courseId = hex.length === 32 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : '';
  return UUID.test(courseId) ? courseId : undefined;
}
const COUPON_CODE = /^[A-Z0-9_-]{3,32}$/;

/*
 * A coupon typed in chat, read by this exact pattern before the understanding model (as commands
 * are): a keyword ("用券", "优惠码", "coupon", "promo code", "redeem"…) and the code, nothing else.
 */
const COUPON_IN_TEXT = /^\s*(?:用券|使用优惠券|使用优惠码|优惠券|优惠码|兑换码|券码|coupon(?:\s*code)?|promo(?:\s*code)?|redeem|use\s+coupon)\s*[:：]?\s*([A-Za-z0-9_-]{3,32})\s*[.!。！]?\s*$/i;

/**
 * The coupon code a message gives, or undefined when it is not a coupon message.
 *
 * @example
 * couponCodeInText('用券 save20') // 'SAVE20'
 * couponCodeInText('coupon SAVE20') // 'SAVE20'
 * couponCodeInText('any coupons?') // undefined
 */
export function couponCodeInText(text: string): string | undefined {
  return COUPON_IN_TEXT.exec(text.normalize('NFKC'))?.[1]?.toUpperCase();
}

/* Asking for one's invite link, read by its exact wording before the understanding model (as coupon codes are). */
const INVITE_IN_TEXT = /^\s*(?:邀请好友|邀请朋友|我的邀请(?:链接|码)|邀请(?:链接|码)|分享(?:链接|给好友)|invite(?:\s+(?:friends?|link|code))?|my\s+(?:invite|referral)\s+(?:link|code)|referral\s+(?:link|code))\s*[.!?。！？]?\s*$/i;

/**
 * Whether a message asks for the follower's invite link ("邀请好友", "Invite friends").
 *
 * @example
 * isInviteRequest('邀请好友') // true
 * isInviteRequest('invite friends') // true
 */
export function isInviteRequest(text: string): boolean {
  return INVITE_IN_TEXT.test(text.normalize('NFKC'));
}

/**
 * The intent behind button callback data, or undefined for data the dialog did not emit.
 *
 * @example
 * intentOfAction('page:2') // { kind: 'browse', page: 2 }
 */
export function intentOfAction(action: string): Intent | undefined {
  const [name, value = ''] = action.split(':', 2) as [string, string?];
  switch (name) {
    case 'cpn': {
      const [code = '', packed, extra] = action.slice('cpn:'.length).split(':');
      if (!COUPON_CODE.test(code) || extra !== undefined) return undefined;
      if (packed === undefined) return { kind: 'use_coupon', code };
      const courseId = unpackCourseId(packed);
      return courseId ? { kind: 'use_coupon', code, courseId } : undefined;
    }
    case 'payc': {
      const [packed = '', code = ''] = action.slice('payc:'.length).split(':', 2);
      const courseId = unpackCourseId(packed);
      return courseId && COUPON_CODE.test(code) ? { kind: 'confirm_purchase', courseId, couponCode: code } : undefined;
    }
    case 'page': {
      const page = Number(value);
      return Number.isInteger(page) && page >= 1 && page <= 10_000 ? { kind: 'browse', page } : undefined;
    }
    case 'info':
      return UUID.test(value) ? { kind: 'course_info', course: { kind: 'tapped', courseId: value }, aspect: 'details' } : undefined;
    case 'buy':
      return UUID.test(value) ? { kind: 'buy', course: { kind: 'tapped', courseId: value } } : undefined;
    case 'pay':
      return UUID.test(value) ? { kind: 'confirm_purchase', courseId: value } : undefined;
    case 'nobuy':
      return { kind: 'cancel_purchase' };
    case 'human':
      return { kind: 'human' };
    case 'topic':
      return /^[a-z][a-z-]{0,39}$/.test(value) ? { kind: 'topic', tag: value } : undefined;
    case 'topics':
      return value === 'done' ? { kind: 'onboarding_done' } : undefined;
    case 'consent':
      return value === 'yes' || value === 'no' ? { kind: 'consent', isGiven: value === 'yes' } : undefined;
    case 'lang':
      return value === 'zh-CN' || value === 'en' ? { kind: 'switch_language', locale: value } : undefined;
    case 'rec':
      return { kind: 'recommend', tags: [] };
    case 'my':
      return { kind: 'my_courses' };
    case 'help':
      return { kind: 'help' };
    case 'invite':
      return { kind: 'invite' };
    case 'resub':
      return { kind: 'resubscribe' };
    default:
      return undefined;
  }
}

/**
 * The intent behind a slash command (name without the slash, lowercase), or undefined when unknown.
 *
 * @example
 * intentOfCommand('courses', '2') // { kind: 'browse', page: 2 }
 */
export function intentOfCommand(name: string, args: string): Intent | undefined {
  const rest = args.trim();
  switch (name.toLowerCase()) {
    case 'start':
      return { kind: 'start', payload: rest };
    case 'help':
    case 'menu':
      return { kind: 'help' };
    case 'courses':
    case 'catalog': {
      const page = Number(rest || '1');
      return { kind: 'browse', page: Number.isInteger(page) && page >= 1 ? page : 1 };
    }
    case 'recommend':
    case 'picks':
      return { kind: 'recommend', tags: [] };
    case 'search':
      return rest ? { kind: 'search', query: rest, tags: [] } : { kind: 'browse', page: 1 };
    case 'buy':
      return { kind: 'buy', course: UUID.test(rest) ? { kind: 'tapped', courseId: rest } : { kind: 'unresolved', tags: [], ...(rest ? { query: rest } : {}) } };
    case 'my':
    case 'mycourses':
      return { kind: 'my_courses' };
    case 'invite':
    case 'referral':
      return { kind: 'invite' };
    case 'stop':
    case 'unsubscribe':
      return { kind: 'unsubscribe' };
    case 'resume':
    case 'subscribe':
    case 'resubscribe':
      return { kind: 'resubscribe' };
    case 'language':
    case 'lang': {
      const wanted = rest.toLowerCase();
      if (wanted.startsWith('zh') || wanted === '中文') return { kind: 'switch_language', locale: 'zh-CN' };
      if (wanted.startsWith('en')) return { kind: 'switch_language', locale: 'en' };
      return { kind: 'switch_language' };
    }
    default:
      return undefined;
  }
}
