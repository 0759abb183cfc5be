import { z } from 'zod';

export const COURSE_STATUSES = ['draft', 'on_sale', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/** ISO 4217 codes plus `XTR`, Telegram Stars. Amounts are always integer minor units (fen for CNY). */
export const CURRENCIES = ['CNY', 'USD', 'XTR'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** An amount of money: integer minor units and a currency, never a float. */
export interface Money {
  amountMinor: number;
  currency: Currency;
}

export interface Course {
  id: string;
  slug: string;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  /** Canonical English slugs such as `python` or `photography` (see core/text/tag-lexicon.ts). */
  tags: string[];
  priceMinor: number;
  currency: Currency;
  /** Price in Telegram Stars, when the course is sold on Telegram. */
  priceStars: number | null;
  status: CourseStatus;
  creatorId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

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
  return `${symbol}${(money.amountMinor / 100).toFixed(2)}`;
}
