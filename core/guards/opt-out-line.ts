import type { Reply } from '../dialog/reply.js';
import type { Locale } from '../followers/follower.js';

/** The line every marketing message ends with, in the follower's language. */
export const OPT_OUT_LINES: Readonly<Record<Locale, string>> = {
  en: 'Reply /stop to unsubscribe',
  'zh-CN': '回复"退订"取消订阅',
};

/**
 * Adds the opt-out line to a marketing message: appended to its last text reply (so a text and a
 * course card read "text, opt-out line, card" as two messages, not three), or as its own text reply
 * when the message has no text. Never adds it twice.
 *
 * @example
 * withOptOutLine([{ type: 'text', text: 'New course!' }], 'en'); // [{ type: 'text', text: 'New course!\n\nReply /stop to unsubscribe' }]
 */
export function withOptOutLine(replies: readonly Reply[], locale: Locale): Reply[] {
  const line = OPT_OUT_LINES[locale];
  const copy = [...replies];
  const index = copy.findLastIndex((r) => r.type === 'text');
  const last = copy[index];
  if (last?.type === 'text') {
    if (!last.text.endsWith(line)) copy[index] = { ...last, text: `${last.text}\n\n${line}` };
    return copy;
  }
  return [...copy, { type: 'text', text: line }];
}
