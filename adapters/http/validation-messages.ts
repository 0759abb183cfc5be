import type { ZodError } from 'zod';

type Issue = ZodError['issues'][number];
export type MessageLanguage = 'zh' | 'en';

/**
 * The schemas' own messages (course, prices, pacing, chapters and lessons, coupons) in Chinese,
 * keyed by the English text the schema carries. A message missing here is shown in English.
 */
const ZH_OF: Record<string, string> = {
  'enter a title': '请输入标题',
  'use an http(s) link': '请输入以 http:// 或 https:// 开头的链接',
  'use an http(s) image URL': '请输入以 http:// 或 https:// 开头的图片链接',
  'at least 1 minute': '至少 1 分钟',
  'at most 24 hours': '最多 24 小时（1440 分钟）',
  'send at least one field to change': '请至少修改一项',
  'use an ISO date-time such as 2026-03-01T09:00:00+08:00': '请选择日期和时间',
  'unlock at least every day': '最短每 1 天解锁一课',
  'unlock at least once a year': '最长每 365 天解锁一课',
  'close enrolment at most 30 days after the start': '报名截止最晚在开课后 30 天',
  'use the numeric chat id (-100…) or the @username of the group or channel': '请填写群组或频道的数字 ID（-100 开头）或 @用户名',
  'use lowercase letters, digits and dashes': '只能使用小写字母、数字和短横线',
  'enter a non-negative amount such as 49 or 49.90': '请输入不小于 0 的金额，例如 49 或 49.90',
  'Telegram Stars are whole numbers': 'Telegram 星星只能是整数',
  'enter the price on WeChat and the mini-program': '请填写微信和小程序的价格',
  'use 3–32 letters, digits, _ or -': '请使用 3–32 位字母、数字、_ 或 -',
  'give exactly one of percentOff or amountOffMinor': '折扣比例和减免金额只能填写一项',
};

const decimals = /^use at most (\d+) decimal places$/;
/** How zod's default English messages begin; a schema's own messages are lower-case sentences. */
const ZOD_DEFAULT = /^(Invalid|Too small|Too big|Unrecognized key|Expected)/;

/** A limit in words: characters for text, items for lists, the number itself for numbers. */
function limitText(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, language: MessageLanguage): string {
  const limit = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const unit = issue.origin === 'string' ? (language === 'zh' ? ' 个字' : ' characters') : issue.origin === 'array' || issue.origin === 'set' ? (language === 'zh' ? ' 项' : ' items') : '';
  return `${limit}${unit}`;
}

/** A zod check's own message in words, in `language`, when the schema did not give one. */
function builtInMessage(issue: Issue, language: MessageLanguage): string | undefined {
  const zh = language === 'zh';
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return zh ? '此项必填' : 'this field is required';
      if (issue.origin === 'number' || issue.origin === 'bigint') return zh ? `不能小于 ${issue.minimum}` : `enter ${issue.minimum} or more`;
      return zh ? `至少 ${limitText(issue, language)}` : `enter at least ${limitText(issue, language)}`;
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'bigint') return zh ? `不能大于 ${issue.maximum}` : `enter ${issue.maximum} or less`;
      return zh ? `最多 ${limitText(issue, language)}` : `enter at most ${limitText(issue, language)}`;
    case 'invalid_type':
      if (issue.expected === 'int') return zh ? '请输入整数' : 'enter a whole number';
      if (issue.expected === 'number') return zh ? '请输入数字' : 'enter a number';
      return zh ? '请填写此项' : 'fill in this field';
    case 'invalid_format':
      if (issue.format === 'url') return zh ? '请输入有效的链接' : 'enter a valid link';
      if (issue.format === 'uuid') return zh ? '请输入有效的 ID（UUID）' : 'enter a valid ID (UUID)';
      if (issue.format === 'datetime') return zh ? '请选择日期和时间' : 'pick a date and time';
      return zh ? '格式不正确' : 'this is not in the expected form';
    case 'invalid_value':
    case 'invalid_union':
      return zh ? '请从给出的选项中选择' : 'pick one of the offered choices';
    case 'unrecognized_keys':
      return zh ? '包含无法识别的内容' : 'contains something this form does not take';
    default:
      return undefined;
  }
}

/**
 * One validation issue as the person filling in the form reads it, in Chinese or English: the
 * schema's own message (translated, {@link ZH_OF}) or, for zod's built-in checks, a sentence in
 * words instead of zod's type names.
 *
 * @example
 * issueMessage({ code: 'too_small', origin: 'string', minimum: 1, path: ['titleZh'], message: 'enter a title' }, 'zh'); // '请输入标题'
 */
export function issueMessage(issue: Issue, language: MessageLanguage): string {
  const own = issue.message;
  if (own in ZH_OF) return language === 'zh' ? ZH_OF[own]! : own;
  const places = decimals.exec(own);
  if (places) return language === 'zh' ? `最多保留 ${places[1]} 位小数` : own;
  // A message the schema wrote itself (custom, or a check given a message) is kept as written;
  // zod's own English defaults (capitalised, naming types) are replaced by words.
  if (issue.code === 'custom' || !ZOD_DEFAULT.test(own)) return own;
  return builtInMessage(issue, language) ?? own;
}
