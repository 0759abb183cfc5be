import type { Update } from 'telegraf/types';
import { referralCodeOf, type ChatRef, type CheckoutQuery, type EventInput, type IdentityInput, type Inbound, type Locale } from '../../core/index.js';
import { parseInvoicePayload } from './render-reply.js';

export interface TranslateOptions {
  /** The bot's numeric id: update_ids are per bot, so event ids carry it. */
  botId: string;
  /** Without the @; in groups the bot answers only commands, @mentions and replies to itself. */
  botUsername?: string;
}

/**
 * One update, translated with no I/O done, as one of the kinds the adapter handles differently:
 * - `inbound`: handed to the core inbound use case as it is (messages, payments, blocks);
 * - `callback_query`: the same, and the button's query is answered once its events are recorded;
 * - `pre_checkout_query`: Telegram waits for our verdict (10 s) before it takes the Stars, so the
 *   update is claimed and reviewed first, and its events are recorded after the answer;
 * - `ignored`: nobody to attribute it to (channel posts, bots).
 */
export type TranslatedUpdate =
  | { kind: 'ignored'; updateId: number; updateType: string }
  | { kind: 'inbound'; updateId: number; updateType: string; inbound: Inbound }
  | { kind: 'callback_query'; updateId: number; updateType: 'callback_query'; callbackQueryId: string; inbound: Inbound }
  | { kind: 'pre_checkout_query'; updateId: number; updateType: 'pre_checkout_query'; queryId: string; checkout: CheckoutQuery; inbound: Inbound };

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

const chatOf = (chat: { id: number; type: string }): ChatRef => ({ id: String(chat.id), kind: chat.type === 'private' ? 'private' : 'group' });

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
  const event = (kind: EventInput['kind'], identity: IdentityInput, payload: Record<string, unknown>, occurredAt?: number, courseId?: string): EventInput => ({
    kind,
    platform: 'telegram',
    externalId,
    identity,
    payload,
    ...(courseId ? { courseId } : {}),
    ...(occurredAt ? { occurredAt: new Date(occurredAt * 1000) } : {}),
  });
  const inbound = (updateType: string, value: Inbound): TranslatedUpdate => ({ kind: 'inbound', updateId, updateType, inbound: value });

  if ('message' in update && update.message) {
    const message = update.message;
    const from = message.from;
    if (!from || from.is_bot) return { kind: 'ignored', updateId, updateType: 'message' };
    const identity = identityOf(from);
    const chat = chatOf(message.chat);
    const base = { identity, chat };
    const turn = { platform: 'telegram' as const, messageId: externalId, chatKind: chat.kind, ...(identity.locale ? { locale: identity.locale } : {}) };

    if ('successful_payment' in message && message.successful_payment) {
      const p = message.successful_payment;
      const ids = parseInvoicePayload(p.invoice_payload);
      return inbound('successful_payment', {
        ...base,
        kind: 'payment',
        events: [event('message', identity, { type: 'successful_payment', invoicePayload: p.invoice_payload, currency: p.currency, totalAmount: p.total_amount }, message.date)],
        payment: { provider: 'telegram_stars', ...(ids?.orderId ? { orderId: ids.orderId } : {}), chargeId: p.telegram_payment_charge_id, currency: p.currency, totalAmount: p.total_amount, payerExternalId: identity.externalId },
      });
    }
    if (!('text' in message) || typeof message.text !== 'string') {
      return inbound('message', { ...base, kind: 'record', events: [event('message', identity, { type: 'non_text', chatKind: chat.kind }, message.date)] });
    }
    const command = commandOf(message, options.botUsername);
    if (command === null) return inbound('message', { ...base, kind: 'record', events: [event('message', identity, { text: message.text, chatKind: chat.kind, addressedTo: 'other_bot' }, message.date)] });
    if (command?.name === 'start') {
      const attribution = parseStartPayload(command.args);
      const payload = { chatKind: chat.kind, ...(command.args ? { startPayload: command.args } : {}), ...attribution };
      // A referral link (`/start ref_<code>`) only in a private chat: in a group anyone may type it.
      const referralCode = chat.kind === 'private' && command.args.startsWith('ref_') ? referralCodeOf(command.args) : undefined;
      const referral = referralCode ? { referral: { code: referralCode, channel: 'telegram' as const } } : {};
      return inbound('message', { ...base, kind: 'turn', events: [event('follow', identity, payload, message.date)], turn: { ...turn, command }, ...referral });
    }
    const payload = { text: message.text.slice(0, 4096), chatKind: chat.kind, ...(command ? { command: command.name } : {}) };
    if (command) return inbound('message', { ...base, kind: 'turn', events: [event('message', identity, payload, message.date)], turn: { ...turn, command } });

    let text = message.text;
    if (chat.kind === 'group') {
      const mention = options.botUsername ? `@${options.botUsername}` : undefined;
      const isMention = mention !== undefined && text.toLowerCase().includes(mention.toLowerCase());
      const isReplyToBot = options.botUsername !== undefined && message.reply_to_message?.from?.username?.toLowerCase() === options.botUsername.toLowerCase();
      if (!isMention && !isReplyToBot) return inbound('message', { ...base, kind: 'record', events: [event('message', identity, { ...payload, addressedTo: 'group' }, message.date)] });
      if (mention) text = text.replace(new RegExp(mention.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'ig'), ' ').trim();
    }
    const events = [event('message', identity, payload, message.date)];
    return inbound('message', text ? { ...base, kind: 'turn', events, turn: { ...turn, text } } : { ...base, kind: 'record', events });
  }

  if ('callback_query' in update && update.callback_query) {
    const query = update.callback_query;
    const identity = identityOf(query.from);
    const data = 'data' in query && typeof query.data === 'string' ? query.data : undefined;
    const chat = query.message ? chatOf(query.message.chat) : { id: String(query.from.id), kind: 'private' as const };
    const courseId = data ? /^(?:info|buy):([0-9a-f-]{36})$/i.exec(data)?.[1] : undefined;
    const events = [event('click', identity, { data: data ?? null, chatKind: chat.kind }, undefined, courseId)];
    const turn = { platform: 'telegram' as const, messageId: externalId, chatKind: chat.kind, ...(identity.locale ? { locale: identity.locale } : {}) };
    return {
      kind: 'callback_query',
      updateId,
      updateType: 'callback_query',
      callbackQueryId: query.id,
      inbound: data ? { kind: 'turn', identity, chat, events, turn: { ...turn, action: data.slice(0, 64) } } : { kind: 'record', identity, chat, events },
    };
  }

  if ('my_chat_member' in update && update.my_chat_member) {
    const change = update.my_chat_member;
    const identity = identityOf(change.from);
    const chat = chatOf(change.chat);
    const status = change.new_chat_member.status;
    const isMember = status === 'member' || status === 'administrator' || status === 'creator' || status === 'restricted';
    const payload = { status, previousStatus: change.old_chat_member.status, chatKind: chat.kind, chatId: chat.id };
    const events = [event(isMember ? 'follow' : 'unfollow', identity, payload, change.date)];
    // Only a private chat says whether this person can be messaged; a group leaving says nothing about them.
    return inbound('my_chat_member', chat.kind === 'private' ? { kind: 'reachability', identity, chat, events, isReachable: isMember } : { kind: 'record', identity, chat, events });
  }

  if ('pre_checkout_query' in update && update.pre_checkout_query) {
    const query = update.pre_checkout_query;
    const identity = identityOf(query.from);
    const ids = parseInvoicePayload(query.invoice_payload);
    const chat = { id: String(query.from.id), kind: 'private' as const };
    return {
      kind: 'pre_checkout_query',
      updateId,
      updateType: 'pre_checkout_query',
      queryId: query.id,
      checkout: { payerExternalId: identity.externalId, ...(identity.locale ? { locale: identity.locale } : {}), ...ids, currency: query.currency, totalAmount: query.total_amount },
      inbound: {
        kind: 'record',
        identity,
        chat,
        events: [event('checkout', identity, { stage: 'pre_checkout', invoicePayload: query.invoice_payload, currency: query.currency, totalAmount: query.total_amount }, undefined, ids?.courseId)],
      },
    };
  }

  if ('edited_message' in update && update.edited_message?.from && !update.edited_message.from.is_bot) {
    const message = update.edited_message;
    const identity = identityOf(message.from!);
    const text = 'text' in message && typeof message.text === 'string' ? message.text.slice(0, 4096) : undefined;
    return inbound('edited_message', { kind: 'record', identity, chat: chatOf(message.chat), events: [event('message', identity, { type: 'edited', ...(text ? { text } : {}) }, message.date)] });
  }

  // Channel posts, polls and the like carry no follower to attribute them to.
  return { kind: 'ignored', updateId, updateType: Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown' };
}
