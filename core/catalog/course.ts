import { z } from 'zod';

export const COURSE_STATUSES = ['draft', 'on_sale', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/** ISO 4217 codes plus `XTR`, Telegram Stars. Amounts are always integer minor units (fen for CNY). */
export const CURRENCIES = ['CNY', 'USD', 'XTR'] as const;
export type Currency = (typeof CURRENCIES)[number];

/**
 * Decimal places of each currency's major unit: 1 yuan = 100 fen, while a Telegram Star has no
 * smaller unit, so 49 Stars are stored as 49 (not 4900).
 */
export const MINOR_UNIT_DIGITS: Readonly<Record<Currency, number>> = { CNY: 2, USD: 2, XTR: 0 };

/** An amount of money: integer minor units and a currency, never a float. */
export interface Money {
  amountMinor: number;
  currency: Currency;
}

/** How lessons unlock after purchase. */
export const PACING_KINDS = ['self_paced', 'drip', 'cohort'] as const;
export type PacingKind = (typeof PACING_KINDS)[number];

/**
 * `self_paced`: everything at once; `drip`: lesson N unlocks (N-1)·everyDays days after enrolment;
 * `cohort`: everything unlocks at `startsAt`, and nobody can buy after `enrolmentClosesAt`.
 */
export type CoursePacing =
  | { kind: 'self_paced' }
  | { kind: 'drip'; everyDays: number }
  | { kind: 'cohort'; startsAt: Date; enrolmentClosesAt: Date | null };

export interface Course {
  id: string;
  slug: string;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  /** Canonical English slugs such as `python` or `photography` (see core/text/tag-lexicon.ts). */
  tags: string[];
  /** Price on WeChat and in the mini-program. */
  priceMinor: number;
  currency: Currency;
  /** Price in Telegram Stars, when the course is sold on Telegram. */
  priceStars: number | null;
  status: CourseStatus;
  creatorId: string | null;
  coverUrl: string | null;
  teacherName: string;
  pacing: CoursePacing;
  /** Telegram group or channel buyers are invited to (`-100…` or `@name`). */
  telegramChatId: string | null;
  /** The course the creator says comes after this one (a series or the next level); broadcasts with `pick: "next_in_path"` offer it. */
  nextCourseId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const isoDate = z.iso.datetime({ offset: true, message: 'use an ISO date-time such as 2026-03-01T09:00:00+08:00' }).transform((v) => new Date(v));

export const coursePacingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('self_paced') }),
  z.object({ kind: z.literal('drip'), everyDays: z.number().int().min(1, 'unlock at least every day').max(365, 'unlock at least once a year') }),
  z
    .object({ kind: z.literal('cohort'), startsAt: isoDate, enrolmentClosesAt: isoDate.nullable().default(null) })
    .refine((p) => p.enrolmentClosesAt === null || p.enrolmentClosesAt.getTime() <= p.startsAt.getTime() + 30 * 86_400_000, {
      message: 'close enrolment at most 30 days after the start',
      path: ['enrolmentClosesAt'],
    }),
]);

export const courseCoverUrlSchema = z.url({ protocol: /^https?$/, message: 'use an http(s) image URL' }).max(2000).nullable();
export const telegramChatIdSchema = z
  .string()
  .regex(/^(-?\d{5,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/, 'use the numeric chat id (-100…) or the @username of the group or channel')
  .nullable();

export const courseInputSchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'use lowercase letters, digits and dashes'),
  titleZh: z.string().min(1).max(200),
  titleEn: z.string().min(1).max(200),
  descriptionZh: z.string().max(5000).default(''),
  descriptionEn: z.string().max(5000).default(''),
  tags: z.array(z.string().min(1).max(40)).max(20).default([]),
  priceMinor: z.number().int().nonnegative(),
  currency: z.enum(CURRENCIES).default('CNY'),
  priceStars: z.number().int().positive().nullable().default(null),
  status: z.enum(COURSE_STATUSES).default('draft'),
  creatorId: z.uuid().nullable().default(null),
  coverUrl: courseCoverUrlSchema.default(null),
  teacherName: z.string().trim().max(100).default(''),
  pacing: coursePacingSchema.default({ kind: 'self_paced' }),
  telegramChatId: telegramChatIdSchema.default(null),
  nextCourseId: z.uuid({ message: 'nextCourseId must be the id (UUID) of the course that comes after this one' }).nullable().default(null),
});
export type CourseInput = z.input<typeof courseInputSchema>;
export type NewCourse = z.output<typeof courseInputSchema>;

/** The title in the reader's language. */
export function courseTitle(course: Pick<Course, 'titleZh' | 'titleEn'>, locale: string): string {
  return locale.startsWith('zh') ? course.titleZh : course.titleEn;
}

/** Formats money for people: `¥199.00`, `$5.00`, `150 ⭐`. */
export function formatMoney(money: Money): string {
  if (money.currency === 'XTR') return `${money.amountMinor} ⭐`;
  const symbol = money.currency === 'CNY' ? '¥' : '$';
  return `${symbol}${toMajorUnits(money)}`;
}

/**
 * Converts an amount people type (major units: yuan, dollars, Stars) to integer minor units,
 * exactly, from its decimal text (no float rounding). Returns a message instead when the amount
 * is not a non-negative number or has more decimals than the currency allows.
 *
 * @example
 * toMinorUnits('49.90', 'CNY'); // { ok: true, amountMinor: 4990 }
 * toMinorUnits(49, 'XTR');      // { ok: true, amountMinor: 49 }
 * toMinorUnits('4.5', 'XTR');   // { ok: false, message: 'Telegram Stars are whole numbers' }
 */
export function toMinorUnits(amount: string | number, currency: Currency): { ok: true; amountMinor: number } | { ok: false; message: string } {
  const text = typeof amount === 'number' ? (Number.isFinite(amount) ? String(amount) : '') : amount.trim();
  const match = /^(\d{1,9})(?:\.(\d+))?$/.exec(text);
  if (!match) return { ok: false, message: 'enter a non-negative amount such as 49 or 49.90' };
  const digits = MINOR_UNIT_DIGITS[currency];
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) {
    return { ok: false, message: digits === 0 ? 'Telegram Stars are whole numbers' : `use at most ${digits} decimal places` };
  }
  return { ok: true, amountMinor: Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0') };
}

/** Integer minor units back to the major-unit text people type: `4990 CNY` → `49.90`, `49 XTR` → `49`. */
export function toMajorUnits(money: Money): string {
  const digits = MINOR_UNIT_DIGITS[money.currency];
  if (digits === 0) return String(money.amountMinor);
  const scale = 10 ** digits;
  return `${Math.floor(money.amountMinor / scale)}.${String(money.amountMinor % scale).padStart(digits, '0')}`;
}

/** A price as entered: an amount in major units and its currency; parses to integer minor units. */
export const majorPriceSchema = <C extends readonly [Currency, ...Currency[]]>(currencies: C) =>
  z
    .object({
      amount: z.union([z.string(), z.number()]).meta({ description: 'Major units as typed: 49.90 (yuan) or 49 (Stars)' }),
      currency: z.enum(currencies),
    })
    .transform((price, ctx) => {
      const parsed = toMinorUnits(price.amount, price.currency);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message, path: ['amount'] });
        return z.NEVER;
      }
      return { amountMinor: parsed.amountMinor, currency: price.currency };
    });

/**
 * The price of a course on each channel, entered in major units: `wechat` (WeChat and the
 * mini-program, CNY or USD) and `telegram` (Stars, whole numbers; null: not sold on Telegram).
 */
export const channelPricesSchema = z.object({
  wechat: majorPriceSchema(['CNY', 'USD']).optional(),
  telegram: majorPriceSchema(['XTR']).nullable().optional(),
});

/** The course fields a {@link channelPricesSchema} value sets. */
export function priceFieldsOf(prices: z.output<typeof channelPricesSchema>): Partial<Pick<Course, 'priceMinor' | 'currency' | 'priceStars'>> {
  return {
    ...(prices.wechat ? { priceMinor: prices.wechat.amountMinor, currency: prices.wechat.currency } : {}),
    ...(prices.telegram !== undefined ? { priceStars: prices.telegram?.amountMinor ?? null } : {}),
  };
}

/** A course's prices per channel, in minor units and as major-unit text, for editors. */
export function coursePrices(course: Pick<Course, 'priceMinor' | 'currency' | 'priceStars'>) {
  const wechat = { amountMinor: course.priceMinor, currency: course.currency };
  const telegram = course.priceStars === null ? null : { amountMinor: course.priceStars, currency: 'XTR' as const };
  return {
    wechat: { ...wechat, amount: toMajorUnits(wechat) },
    telegram: telegram && { ...telegram, amount: toMajorUnits(telegram) },
  };
}

/**
 * Whether a course can still be bought at `now`: a cohort course closes enrolment at its
 * `enrolmentClosesAt` (or, without one, at its start).
 *
 * @example
 * if (!isEnrolmentOpen(course, clock.now())) throw new ConflictError('enrolment_closed', '…');
 */
export function isEnrolmentOpen(course: Pick<Course, 'pacing'>, now: Date): boolean {
  if (course.pacing.kind !== 'cohort') return true;
  const closesAt = course.pacing.enrolmentClosesAt ?? course.pacing.startsAt;
  return now.getTime() < closesAt.getTime();
}
