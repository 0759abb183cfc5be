import type { Currency } from '../catalog/course.js';

/**
 * The most a follower wants to pay. `maxMinor` is in minor units of `currency`; when no currency
 * was stated it is read as a hundred-minor-unit currency (yuan or dollars: "under 100" → 10000),
 * and the caller picks the currency from the platform or the follower's locale. Telegram Stars
 * have no minor unit: "below 50 stars" → `{ maxMinor: 50, currency: 'XTR' }`.
 */
export interface Budget {
  maxMinor: number;
  currency?: Currency;
}

const DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };

/**
 * The value of a Chinese numeral, including the spoken shortcuts "一百五" (150) and "两千三" (2300);
 * undefined when the text is not a numeral.
 *
 * @example
 * parseChineseNumber('两百') // 200
 * parseChineseNumber('三百五十') // 350
 */
export function parseChineseNumber(text: string): number | undefined {
  if (!/^[零〇一二两三四五六七八九十百千万]+$/.test(text)) return undefined;
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  let lastUnit = 0;
  let isAfterZero = false;
  for (const char of text) {
    const d = DIGITS[char];
    if (d !== undefined) {
      if (d === 0) isAfterZero = true;
      else digit = d;
      continue;
    }
    const unit = UNITS[char]!;
    if (unit === 10000) {
      total = (total + section + (digit ?? 0)) * unit;
      section = 0;
    } else {
      section += (digit ?? 1) * unit;
    }
    digit = undefined;
    isAfterZero = false;
    lastUnit = unit;
  }
  // A trailing digit right after a unit is one unit lower (一百五 is 150, 一万五 is 15000); after 零 it is ones (一百零五).
  if (digit !== undefined) section += lastUnit >= 100 && !isAfterZero ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

const NUMBER = String.raw`(\d+(?:\.\d+)?\s*[kw万千]?|[零〇一二两三四五六七八九十百千万]+)`;
const CURRENCY_BEFORE = String.raw`(\$|¥|rmb\s*|cny\s*|usd\s*)?`;
const CURRENCY_AFTER = String.raw`\s*(stars?|⭐+|颗星|星星?|dollars?|usd|bucks|美元|美金|元|块钱?|rmb|cny|yuan|人民币)?`;
const EN_LIMIT = new RegExp(String.raw`\b(?:under|below|less than|cheaper than|max(?:imum)?|at most|up to|no more than|not more than|within|budget(?: is| of)?)\s*` + CURRENCY_BEFORE + NUMBER + CURRENCY_AFTER);
const ZH_BEFORE = new RegExp(String.raw`(?:不超过|别超过|不要超过|不到|低于|少于|最多|预算(?:是|只有|在|大概)?|控制在)\s*` + CURRENCY_BEFORE + NUMBER + CURRENCY_AFTER);
const ZH_AFTER = new RegExp(CURRENCY_BEFORE + NUMBER + CURRENCY_AFTER + String.raw`\s*(?:以内|以下|之内|内)`);

function amountOf(raw: string): number | undefined {
  const text = raw.replace(/\s+/g, '');
  const chinese = parseChineseNumber(text);
  if (chinese !== undefined) return chinese;
  const match = /^(\d+(?:\.\d+)?)([kw万千]?)$/.exec(text);
  if (!match) return undefined;
  const scale = match[2] === 'k' || match[2] === '千' ? 1000 : match[2] === 'w' || match[2] === '万' ? 10000 : 1;
  return Number(match[1]) * scale;
}

function currencyOf(before: string | undefined, after: string | undefined): Currency | undefined {
  const sign = `${before ?? ''}${after ?? ''}`.trim();
  if (!sign) return undefined;
  if (/star|⭐|星/.test(sign)) return 'XTR';
  if (/\$|dollar|usd|bucks|美/.test(sign)) return 'USD';
  return 'CNY';
}

/**
 * A price limit stated in normalized text ("under 100", "100元以内", "不超过两百", "below 50 stars"),
 * or undefined when there is none.
 *
 * @example
 * extractBudget('100元以内') // { maxMinor: 10000, currency: 'CNY' }
 * extractBudget('不超过两百') // { maxMinor: 20000 }
 * extractBudget('below 50 stars') // { maxMinor: 50, currency: 'XTR' }
 */
export function extractBudget(normalized: string): Budget | undefined {
  for (const pattern of [EN_LIMIT, ZH_BEFORE, ZH_AFTER]) {
    const match = pattern.exec(normalized);
    if (!match) continue;
    const [, before, number = '', after] = match;
    const amount = amountOf(number);
    if (amount === undefined || amount <= 0) continue;
    const currency = currencyOf(before, after);
    const maxMinor = Math.round(currency === 'XTR' ? amount : amount * 100);
    return currency ? { maxMinor, currency } : { maxMinor };
  }
  return undefined;
}
