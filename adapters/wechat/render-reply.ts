import { formatMoney, replyAsText, type Button, type CourseCard, type Reply } from '../../core/index.js';

/** One WeChat message to send: text, a URL link card or a mini-program card (each with a text fallback). */
export type WechatOutgoing =
  | { kind: 'text'; text: string }
  | { kind: 'url_link'; title: string; description: string; url: string; thumbnailUrl?: string; fallbackText: string }
  | { kind: 'mini_program'; appId: string; username: string; title: string; description: string; pagePath: string; fallbackText: string };

export interface RenderOptions {
  locale: string;
  /** Numbering of button options continues from here (a personal account has no buttons). */
  firstOption?: number;
  /** Mini-program identity, to send course cards as mini-program cards. */
  miniProgram?: { appId: string; username: string };
}

export interface Rendered {
  messages: WechatOutgoing[];
  /** Button actions by option number: replying "2" triggers `options[1]`. */
  options: string[];
}

/**
 * Renders core replies for a WeChat personal account: course cards become mini-program cards (when
 * configured) or URL link cards (when the card has a page), buttons become numbered options
 * ("回复数字") the adapter maps back to actions, and everything else is text. Pure.
 *
 * @example
 * const { messages, options } = renderWechatReplies(replies, { locale: 'zh-CN' });
 */
export function renderWechatReplies(replies: readonly Reply[], options: RenderOptions): Rendered {
  const isZh = options.locale.startsWith('zh');
  const actions: string[] = [];
  const messages: WechatOutgoing[] = [];
  const optionLines = (rows: Button[][] | undefined): string[] =>
    (rows ?? []).flat().map((button) => {
      if ('url' in button) return `· ${button.label}: ${button.url}`;
      actions.push(button.action);
      return `${(options.firstOption ?? 1) + actions.length - 1}. ${button.label}`;
    });
  const withOptions = (text: string, lines: string[]) =>
    lines.length ? `${text}\n\n${isZh ? '回复数字选择：' : 'Reply with a number:'}\n${lines.join('\n')}` : text;

  for (const reply of replies) {
    switch (reply.type) {
      case 'text':
        messages.push({ kind: 'text', text: withOptions(reply.text, optionLines(reply.buttons)) });
        break;
      case 'link':
        messages.push({ kind: 'url_link', title: reply.title, description: reply.description, url: reply.url, fallbackText: replyAsText(reply) });
        break;
      case 'invoice':
        messages.push({ kind: 'text', text: replyAsText(reply) });
        break;
      case 'course_cards': {
        if (reply.intro) messages.push({ kind: 'text', text: reply.intro });
        const cardLines: string[] = [];
        for (const card of reply.cards) {
          messages.push(renderCard(card, options));
          cardLines.push(...optionLines(card.buttons.length ? [card.buttons.map((b) => ({ ...b, label: `${b.label} · ${card.title}` }))] : undefined));
        }
        const lines = [...cardLines, ...optionLines(reply.buttons)];
        if (lines.length) messages.push({ kind: 'text', text: withOptions(isZh ? '想进一步了解？' : 'Want more?', lines) });
        break;
      }
    }
  }
  return { messages, options: actions };
}

function renderCard(card: CourseCard, options: RenderOptions): WechatOutgoing {
  const description = [formatMoney(card.price), card.reason].filter(Boolean).join(' · ');
  const fallbackText = `${card.title}\n${description}${card.url ? `\n${card.url}` : ''}`;
  if (options.miniProgram) {
    return { kind: 'mini_program', ...options.miniProgram, title: card.title, description, pagePath: `pages/course/index?id=${card.courseId}`, fallbackText };
  }
  if (card.url) return { kind: 'url_link', title: card.title, description, url: card.url, fallbackText };
  return { kind: 'text', text: fallbackText };
}
