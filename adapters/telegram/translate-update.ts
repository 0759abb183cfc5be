import type { Update } from 'telegraf/types';
import type { EventInput, IdentityInput, InboundMessage, Locale } from '../../core/index.js';
import { parseInvoicePayload } from './render-reply.js';

export interface TranslateOptions {
  /** The bot's numeric id: update_ids are per bot, so event ids carry it. */
  botId: string;
  /** Without the @; in groups the bot answers only commands, @mentions and replies to itself. */
  botUsername?: string;
}

export interface TelegramChat {
  id: string;
  kind: 'private' | 'group';
}

/** Everything the rest of the adapter needs from one update, with no I/O done. */
export interface TranslatedUpdate {
  updateId: number;
  /** `message`, `callback_query`, `my_chat_member`, `pre_checkout_query`, `successful_payment`, … */
  kind: string;
  identity?: IdentityInput;
  chat?: TelegramChat;
  /** Events to record, keyed on `<botId>:<update_id>`. */
  events: EventInput[];
  /** What to hand the dialog, once the follower is resolved. */
  inbound?: Omit<InboundMessage, 'followerId'>;
  /** my_chat_member: whether the bot can reach this follower now. */
  isReachable?: boolean;
  callbackQueryId?: string;
  preCheckout?: { queryId: string; invoicePayload: string; orderId?: string; courseId?: string; currency: string; totalAmount: number };
  payment?: { invoicePayload: string; orderId?: string; courseId?: string; chargeId: string; currency: string; totalAmount: number };
}

interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  language_code?: string;
}

/** `language_code` is an IETF tag (`zh-hans`, `en-US`); the dialog speaks zh-CN and en. */
export function localeOf(languageCode: string | undefined): Locale | undefined {
  if (!languageCode) return undefined;
  return languageCode.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function identityOf(user: TgUser): IdentityInput {
  const displayName = [user.first_name, user.last_name].filter(Boolean).join(' ').slice(0, 128);
  const locale = localeOf(user.language_code);
  return { kind: 'telegram', externalId: String(user.id), ...(displayName ? { displayName } : {}), ...(locale ? { locale } : {}) };
}

const chatOf = (chat: { id: number; type: string }): TelegramChat => ({ id: String(chat.id), kind: chat.type === 'private' ? 'private' : 'group' });

/**
 * Attribution in a /start deep link: `c_<campaign>_r_<referrer>`, either part optional.
 *
 * @example
 * parseStartPayload('c_spring-sale_r_42') // { campaign: 'spring-sale', referrer: '42' }
 */
export function parseStartPayload(payload: string): { campaign?: string; referrer?: string } {
  const campaign = /(?:^|_)c_(.+?)(?=_r_|$)/.exec(payload)?.[1];
  const referrer = /(?:^|_)r_(.+)$/.exec(payload)?.[1];
  return { ...(campaign ? { campaign } : {}), ...(referrer ? { referrer } : {}) };
}

interface TextMessage {
  text: string;
  entities?: Array<{ type: string; offset: number; length: number }>;
  reply_to_message?: { from?: { username?: string } };
}

/** A command at the start of the text (`/courses@ZhiliaoBot 2`), if it is addressed to this bot. */
function commandOf(message: TextMessage, botUsername: string | undefined): { name: string; args: string } | undefined | null {
  const isCommand = message.entities?.some((e) => e.type === 'bot_command' && e.offset === 0) ?? message.text.startsWith('/');
  if (!isCommand || !message.text.startsWith('/')) return undefined;
  const match = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(message.text.trim());
  if (!match) return undefined;
  // A command addressed to another bot in the same group is not ours.
  if (match[2] && botUsername && match[2].toLowerCase() !== botUsername.toLowerCase()) return null;
  return { name: match[1]!.toLowerCase(), args: (match[3] ?? '').trim().slice(0, 512) };
}

/**
 * Translates one Bot API update into events, the follower's identity, and what the dialog and the
 * payment flow need. Pure: the same update always gives the same result, so it is tested on
 * recorded updates (test/fixtures/telegram/*.json).
 *
 * @example
 * const t = translateUpdate(update, { botId: '7000001', botUsername: 'ZhiliaoBot' });
 * t.events[0]; // { kind: 'follow', platform: 'telegram', externalId: '7000001:1001', identity: {...}, payload: { startPayload: 'c_spring_r_42', campaign: 'spring', referrer: '42' } }
 */
export function translateUpdate(update: Update, options: TranslateOptions): TranslatedUpdate {
  const updateId = update.update_id;
  const externalId = `${options.botId}:${updateId}`;
  const base = { updateId, events: [] as EventInput[] };
  const event = (kind: EventInput['kind'], identity: IdentityInput, payload: Record<string, unknown>, occurredAt?: number, courseId?: string): EventInput => ({
    kind,
    platform: 'telegram',
    externalId,
    identity,
    payload,
    ...(courseId ? { courseId } : {}),
    ...(occurredAt ? { occurredAt: new Date(occurredAt * 1000) } : {}),
  });

  if ('message' in update && update.message) {
    const message = update.message;
    const from = message.from;
    if (!from || from.is_bot) return { ...base, kind: 'message' };
    const identity = identityOf(from);
    const chat = chatOf(message.chat);
    const common = { platform: 'telegram' as const, messageId: externalId, chatKind: chat.kind, ...(identity.locale ? { locale: identity.locale } : {}) };

    if ('successful_payment' in message && message.successful_payment) {
      const p = message.successful_payment;
      const ids = parseInvoicePayload(p.invoice_payload);
      return {
        ...base,
        kind: 'successful_payment',
        identity,
        chat,
        events: [event('message', identity, { type: 'successful_payment', invoicePayload: p.invoice_payload, currency: p.currency, totalAmount: p.total_amount }, message.date)],
        payment: { invoicePayload: p.invoice_payload, ...ids, chargeId: p.telegram_payment_charge_id, currency: p.currency, totalAmount: p.total_amount },
      };
    }
    if (!('text' in message) || typeof message.text !== 'string') {
      return { ...base, kind: 'message', identity, chat, events: [event('message', identity, { type: 'non_text', chatKind: chat.kind }, message.date)] };
    }
    const command = commandOf(message, options.botUsername);
    if (command === null) return { ...base, kind: 'message', identity, chat, events: [event('message', identity, { text: message.text, chatKind: chat.kind, addressedTo: 'other_bot' }, message.date)] };
    if (command?.name === 'start') {
      const attribution = parseStartPayload(command.args);
      return {
        ...base,
        kind: 'message',
        identity,
        chat,
        events: [event('follow', identity, { chatKind: chat.kind, ...(command.args ? { startPayload: command.args } : {}), ...attribution }, message.date)],
        inbound: { ...common, command },
      };
    }
    const payload = { text: message.text.slice(0, 4096), chatKind: chat.kind, ...(command ? { command: command.name } : {}) };
    if (command) return { ...base, kind: 'message', identity, chat, events: [event('message', identity, payload, message.date)], inbound: { ...common, command } };

    let text = message.text;
    if (chat.kind === 'group') {
      const mention = options.botUsername ? `@${options.botUsername}` : undefined;
      const isMention = mention !== undefined && text.toLowerCase().includes(mention.toLowerCase());
      const isReplyToBot = options.botUsername !== undefined && message.reply_to_message?.from?.username?.toLowerCase() === options.botUsername.toLowerCase();
      if (!isMention && !isReplyToBot) return { ...base, kind: 'message', identity, chat, events: [event('message', identity, { ...payload, addressedTo: 'group' }, message.date)] };
      if (mention) text = text.replace(new RegExp(mention.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'ig'), ' ').trim();
    }
    return { ...base, kind: 'message', identity, chat, events: [event('message', identity, payload, message.date)], ...(text ? { inbound: { ...common, text } } : {}) };
  }

  if ('callback_query' in update && update.callback_query) {
    const query = update.callback_query;
    const identity = identityOf(query.from);
    const data = 'data' in query && typeof query.data === 'string' ? query.data : undefined;
    const chat = query.message ? chatOf(query.message.chat) : { id: String(query.from.id), kind: 'private' as const };
    const courseId = data ? /^(?:info|buy):([0-9a-f-]{36})$/i.exec(data)?.[1] : undefined;
    return {
      ...base,
      kind: 'callback_query',
      identity,
      chat,
      callbackQueryId: query.id,
      events: [event('click', identity, { data: data ?? null, chatKind: chat.kind }, undefined, courseId)],
      ...(data ? { inbound: { platform: 'telegram', messageId: externalId, chatKind: chat.kind, action: data.slice(0, 64), ...(identity.locale ? { locale: identity.locale } : {}) } } : {}),
    };
  }

  if ('my_chat_member' in update && update.my_chat_member) {
    const change = update.my_chat_member;
    const identity = identityOf(change.from);
    const chat = chatOf(change.chat);
    const status = change.new_chat_member.status;
    const isMember = status === 'member' || status === 'administrator' || status === 'creator' || status === 'restricted';
    const payload = { status, previousStatus: change.old_chat_member.status, chatKind: chat.kind, chatId: chat.id };
    return {
      ...base,
      kind: 'my_chat_member',
      identity,
      chat,
      events: [event(isMember ? 'follow' : 'unfollow', identity, payload, change.date)],
      // Only a private chat says whether this person can be messaged; a group leaving says nothing about them.
      ...(chat.kind === 'private' ? { isReachable: isMember } : {}),
    };
  }

  if ('pre_checkout_query' in update && update.pre_checkout_query) {
    const query = update.pre_checkout_query;
    const identity = identityOf(query.from);
    const ids = parseInvoicePayload(query.invoice_payload);
    return {
      ...base,
      kind: 'pre_checkout_query',
      identity,
      chat: { id: String(query.from.id), kind: 'private' },
      events: [event('checkout', identity, { stage: 'pre_checkout', invoicePayload: query.invoice_payload, currency: query.currency, totalAmount: query.total_amount }, undefined, ids?.courseId)],
      preCheckout: { queryId: query.id, invoicePayload: query.invoice_payload, ...ids, currency: query.currency, totalAmount: query.total_amount },
    };
  }

  if ('edited_message' in update && update.edited_message?.from && !update.edited_message.from.is_bot) {
    const message = update.edited_message;
    const identity = identityOf(message.from!);
    const text = 'text' in message && typeof message.text === 'string' ? message.text.slice(0, 4096) : undefined;
    return { ...base, kind: 'edited_message', identity, chat: chatOf(message.chat), events: [event('message', identity, { type: 'edited', ...(text ? { text } : {}) }, message.date)] };
  }

  // Channel posts, polls and the like carry no follower to attribute them to.
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
  return { ...base, kind };
}
