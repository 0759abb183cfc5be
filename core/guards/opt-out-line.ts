import type { Reply } from '../dialog/reply.js';
import type { Locale } from '../followers/follower.js';

/** The line every marketing message ends with, in the follower's language. */
export const OPT_OUT_LINES: Readonly<Record<Locale, string>> = {
  en: 'Reply /stop to unsubscribe',
  'zh-CN': '回复"退订"取消订阅',
};

/**
 * Adds the opt-out line to a marketing message: appended to the last text reply, or as its own
 * text reply when the message ends with something else. Never adds it twice.
 *
 * @example
 * withOptOutLine([{ type: 'text', text: 'New course!' }], 'en'); // [{ type: 'text', text: 'New course!\n\nReply /stop to unsubscribe' }]
 */
export function withOptOutLine(replies: readonly Reply[], locale: Locale): Reply[] {
  const line = OPT_OUT_LINES[locale];
  const copy = [...replies];
  const last = copy.at(-1);
  if (last?.type === 'text') {
    if (last.text.endsWith(line)) return copy;
    copy[copy.length - 1] = { ...last, text: `${last.text}\n\n${line}` };
    return copy;
  }
  return [...copy, { type: 'text', text: line }];
}
