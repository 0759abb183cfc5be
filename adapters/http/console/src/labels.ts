import type { Messages } from './i18n.ts';

/**
 * A currency in words ("yuan (CNY)", "Telegram Stars").
 *
 * @example
 * currencyLabel('XTR', MESSAGES.en); // 'Telegram Stars'
 */
export const currencyLabel = (currency: string, t: Messages): string =>
  currency === 'CNY' ? t.currencyCNY : currency === 'XTR' ? t.currencyXTR : currency === 'USD' ? t.currencyUSD : currency;

/**
 * A platform (or identity kind) in words.
 *
 * @example
 * platformLabel('mp_openid', MESSAGES['zh-CN']); // '小程序'
 */
export function platformLabel(platform: string, t: Messages): string {
  if (platform === 'telegram') return t.platformTelegram;
  if (platform === 'wechat') return t.platformWechat;
  if (platform === 'miniprogram' || platform.startsWith('mp_')) return t.platformMiniprogram;
  return t.platformApi;
}

/**
 * A follower's language in words.
 *
 * @example
 * languageLabel('en', MESSAGES.en); // 'English'
 */
export const languageLabel = (locale: string, t: Messages): string => (locale.startsWith('zh') ? t.langZh : t.langEn);

/** A course title in the console's language. */
export const titleIn = (lang: 'zh-CN' | 'en', c: { titleZh: string | null; titleEn: string | null }): string =>
  (lang === 'zh-CN' ? c.titleZh ?? c.titleEn : c.titleEn ?? c.titleZh) ?? '—';

/** A label cut to `max` characters with an ellipsis, so chart axes do not overlap. */
export const shorten = (text: string, max = 22): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * How long ago, in words of the console's language ("3 days ago", "3天前").
 *
 * @example
 * ago(new Date(Date.now() - 2 * 3_600_000).toISOString(), 'en'); // '2 hours ago'
 */
export function ago(at: string, lang: 'zh-CN' | 'en', now = Date.now()): string {
  const seconds = Math.round((new Date(at).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400], ['hour', 3_600], ['minute', 60]];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(0, 'minute');
}

/** Money per currency, never summed across currencies ("¥498.00 · 49 ⭐"). */
export const amounts = (list: { currency: string; amountMinor: number }[], money: (m: number, c: string) => string): string =>
  list.map((r) => money(r.amountMinor, r.currency)).join(' · ');

const STATUS_KEYS = { scheduled: 'stScheduled', sending: 'stSending', paused: 'stPaused', cancelled: 'stCancelled', completed: 'stCompleted' } as const;

/**
 * A broadcast's status in words.
 *
 * @example
 * broadcastStatusLabel('completed', MESSAGES['zh-CN']); // '已完成'
 */
export const broadcastStatusLabel = (status: string, t: Messages): string => (status in STATUS_KEYS ? t[STATUS_KEYS[status as keyof typeof STATUS_KEYS]] : status);
