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
