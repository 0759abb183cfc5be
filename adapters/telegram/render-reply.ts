import { formatMoney, replyAsText, type Button, type Reply } from '../../core/index.js';

export type InlineButton = { text: string; callback_data: string } | { text: string; url: string };

/** One Bot API call that renders one reply. */
export type TelegramCall =
  | { method: 'sendMessage'; text: string; inlineKeyboard?: InlineButton[][] }
  | {
      method: 'sendInvoice';
      title: string;
      description: string;
      /** `<orderId>:<courseId>`, echoed back in pre_checkout_query and successful_payment. */
      payload: string;
      currency: 'XTR';
      amount: number;
    };

const MAX_TEXT = 4096;

function inlineButton(button: Button, prefix = ''): InlineButton {
  return 'url' in button ? { text: `${prefix}${button.label}`, url: button.url } : { text: `${prefix}${button.label}`, callback_data: button.action };
}

function keyboard(rows: Button[][] | undefined, prefix = ''): InlineButton[][] {
  return (rows ?? []).filter((row) => row.length > 0).map((row) => row.map((b) => inlineButton(b, prefix)));
}

/** Invoice payload: the order and the course, so updates about the payment can be read without a lookup. */
export function invoicePayload(orderId: string, courseId: string): string {
  return `${orderId}:${courseId}`;
}

export function parseInvoicePayload(payload: string): { orderId: string; courseId: string } | undefined {
  const match = /^([0-9a-f-]{36}):([0-9a-f-]{36})$/i.exec(payload);
  return match ? { orderId: match[1]!, courseId: match[2]! } : undefined;
}

/**
 * Renders one core reply as one Telegram call: text with an inline keyboard, course cards as one
 * numbered message (one message instead of one per card keeps a private chat inside 1 msg/s), and
 * invoices in Stars. Pure.
 *
 * @example
 * renderReply({ type: 'text', text: 'Hi', buttons: [[{ label: 'Help', action: 'help' }]] })
 * // { method: 'sendMessage', text: 'Hi', inlineKeyboard: [[{ text: 'Help', callback_data: 'help' }]] }
 */
export function renderReply(reply: Reply): TelegramCall {
  switch (reply.type) {
    case 'text': {
      const rows = keyboard(reply.buttons);
      return { method: 'sendMessage', text: reply.text.slice(0, MAX_TEXT), ...(rows.length ? { inlineKeyboard: rows } : {}) };
    }
    case 'link':
      return { method: 'sendMessage', text: `${reply.title}\n${reply.description}`.slice(0, MAX_TEXT), inlineKeyboard: [[{ text: reply.title.slice(0, 60), url: reply.url }]] };
    case 'invoice':
      if (reply.amount.currency !== 'XTR') return { method: 'sendMessage', text: replyAsText(reply) };
      return {
        method: 'sendInvoice',
        title: reply.title.slice(0, 32),
        description: reply.description.slice(0, 255),
        payload: invoicePayload(reply.orderId, reply.courseId),
        currency: 'XTR',
        amount: reply.amount.amountMinor,
      };
    case 'course_cards': {
      const numbered = reply.cards.length > 1;
      const blocks = reply.cards.map((card, i) => {
        const head = `${numbered ? `${i + 1}. ` : ''}${card.title} · ${formatMoney(card.price)}`;
        return [head, card.description, card.reason ? `💡 ${card.reason}` : ''].filter(Boolean).join('\n');
      });
      const text = [reply.intro, ...blocks].filter(Boolean).join('\n\n');
      const rows = reply.cards.flatMap((card, i) => {
        const buttons = [...card.buttons, ...(card.url ? [{ label: '🔗', url: card.url }] : [])];
        return buttons.length ? keyboard([buttons], numbered ? `${i + 1} · ` : '') : [];
      });
      rows.push(...keyboard(reply.buttons));
      return { method: 'sendMessage', text: text.slice(0, MAX_TEXT), ...(rows.length ? { inlineKeyboard: rows } : {}) };
    }
  }
}
