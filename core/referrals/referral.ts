import type { Currency } from '../catalog/course.js';
import type { Locale } from '../followers/follower.js';

/** Where a referral link was opened: the Telegram bot's /start, the mini-program's share scene, WeChat. */
export const REFERRAL_CHANNELS = ['telegram', 'wechat', 'miniprogram'] as const;
export type ReferralChannel = (typeof REFERRAL_CHANNELS)[number];

/** Referral codes are 8 characters of A–Z and 2–9 (no 0/O, 1/I), unique per follower and stable. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A fresh candidate code; the follower keeps the first one stored ({@link ReferralRepository.codeOf}).
 *
 * @example
 * newReferralCode() // 'K7QM2XPA'
 */
export function newReferralCode(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/**
 * The code in a /start payload or a mini-program `scene` (`ref_K7QM2XPA` or the bare code), upper-cased; undefined when it is none.
 *
 * @example
 * referralCodeOf('ref_k7qm2xpa') // 'K7QM2XPA'
 */
export function referralCodeOf(payload: string | undefined): string | undefined {
  if (!payload) return undefined;
  const match = /^(?:ref_)?([A-Za-z0-9]{6,16})$/.exec(payload.trim());
  return match ? match[1]!.toUpperCase() : undefined;
}

/**
 * The Telegram deep link that opens the bot with the follower's code.
 *
 * @example
 * telegramReferralLink('ZhiliaoBot', 'K7QM2XPA') // 'https://t.me/ZhiliaoBot?start=ref_K7QM2XPA'
 */
export function telegramReferralLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername}?start=ref_${code}`;
}

/**
 * The mini-program page path a follower shares (`onShareAppMessage`); its `scene` is the code.
 *
 * @example
 * miniProgramSharePath('K7QM2XPA') // 'pages/index/index?scene=K7QM2XPA'
 */
export function miniProgramSharePath(code: string): string {
  return `pages/index/index?scene=${code}`;
}

/** Why a referral was not recorded; refusals of linked accounts are a risk signal. */
export type ReferralRefusal = 'unknown_code' | 'self' | 'linked_accounts' | 'not_new' | 'already_referred';

/** What {@link attributeReferral} did. */
export type ReferralAttribution = { outcome: 'attributed'; referrerId: string } | { outcome: 'refused'; reason: ReferralRefusal };

/** A creator's referral programme: the coupon a referring follower earns, and the refund window before commission is payable. */
export interface ReferralProgram {
  creatorId: string;
  rewardPercentOff: number | null;
  rewardAmountOffMinor: number | null;
  rewardCurrency: Currency | null;
  rewardAmountOffStars: number | null;
  rewardValidDays: number;
  refundWindowDays: number;
  isActive: boolean;
  updatedAt: Date;
}

/** Without a stored programme: no reward coupon, commission payable 7 days after payment. */
export const DEFAULT_REFUND_WINDOW_DAYS = 7;

/** A follower a creator approved to earn commission (basis points of what their referred followers pay). */
export interface Distributor {
  creatorId: string;
  followerId: string;
  commissionBps: number;
  status: 'approved' | 'revoked';
  decidedBy: string;
  decidedAt: Date;
}

export const COMMISSION_STATUSES = ['pending', 'payable', 'cancelled', 'paid_out'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

/** One order's commission in the ledger, in the order's currency. */
export interface CommissionEntry {
  id: string;
  orderId: string;
  creatorId: string;
  /** Null once the distributor's data was erased (the entry stays, as paid orders do). */
  distributorFollowerId: string | null;
  orderAmountMinor: number;
  currency: Currency;
  commissionBps: number;
  commissionMinor: number;
  status: CommissionStatus;
  payableAfter: Date;
  createdAt: Date;
}

/**
 * Commission on an amount: basis points, rounded down to a whole minor unit (never more than agreed).
 *
 * @example
 * commissionOf(9900, 1500) // 1485
 */
export function commissionOf(amountMinor: number, bps: number): number {
  return Math.floor((amountMinor * bps) / 10_000);
}

/** One line of the payout report: a distributor's commission in one currency, by state. */
export interface PayoutLine {
  creatorId: string;
  /** Null: a distributor whose data was erased. */
  distributorFollowerId: string | null;
  displayName: string | null;
  currency: Currency;
  pendingMinor: number;
  payableMinor: number;
  paidOutMinor: number;
  cancelledMinor: number;
  orders: number;
}

const TEXT = {
  'zh-CN': {
    invite: (code: string, link: string | undefined, mpPath: string) =>
      `邀请好友一起学习！\n你的邀请码：${code}\n${link ? `分享这个链接：${link}\n` : ''}小程序分享路径：${mpPath}\n好友通过你的邀请关注并购课后，你会获得奖励。`,
    rewardCoupon: (code: string, offer: string, until: string) => `你邀请的好友完成了购买，感谢分享！送你一张优惠券「${code}」（${offer}），${until} 前有效。发送「用券 ${code}」即可使用。`,
    commission: (amount: string) => `你推荐的好友完成了购买，你获得一笔佣金 ${amount}（待结算，退款期过后可提现）。`,
    percentOff: (p: number) => `${100 - p} 折`.replace(/^(\d)(\d) 折$/, '$1.$2 折').replace('.0 折', ' 折'),
    amountOff: (amount: string) => `立减 ${amount}`,
  },
  en: {
    invite: (code: string, link: string | undefined, mpPath: string) =>
      `Invite friends to learn with you!\nYour invite code: ${code}\n${link ? `Share this link: ${link}\n` : ''}Mini-program share path: ${mpPath}\nWhen a friend follows through your invitation and buys a course, you get a reward.`,
    rewardCoupon: (code: string, offer: string, until: string) => `A friend you invited has bought a course — thank you for sharing! Here is a coupon "${code}" (${offer}), valid until ${until}. Send "coupon ${code}" to use it.`,
    commission: (amount: string) => `A friend you referred has bought a course: you earned a commission of ${amount} (pending; payable once the refund period has passed).`,
    percentOff: (p: number) => `${p}% off`,
    amountOff: (amount: string) => `${amount} off`,
  },
} satisfies Record<Locale, Record<string, unknown>>;

/**
 * What a follower reads about referrals, in their language.
 *
 * @example
 * referralText('en').invite('K7QM2XPA', 'https://t.me/ZhiliaoBot?start=ref_K7QM2XPA', 'pages/index/index?scene=K7QM2XPA');
 */
export function referralText(locale: Locale): (typeof TEXT)['en'] {
  return TEXT[locale];
}
