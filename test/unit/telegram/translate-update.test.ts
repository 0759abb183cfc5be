import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Update } from 'telegraf/types';
import { parseStartPayload, translateUpdate } from '../../../adapters/telegram/index.js';
import type { Inbound } from '../../../core/index.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/telegram');
const load = (name: string): Update => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Update;
const options = { botId: '7000001', botUsername: 'ZhiliaoBot' };

/** The core inbound an update translates to (every update in these fixtures has one). */
function inboundOf(update: Update): Inbound {
  const t = translateUpdate(update, options);
  if (t.kind === 'ignored') throw new Error(`update ${t.updateId} was ignored`);
  return t.inbound;
}

describe('translateUpdate on recorded updates', () => {
  it('turns /start with a deep link into a follow event carrying the attribution, and a start command', () => {
    const inbound = inboundOf(load('start-deep-link'));
    expect(inbound.identity).toEqual({ kind: 'telegram', externalId: '424242', displayName: 'Li Wei', locale: 'zh-CN' });
    expect(inbound.events).toHaveLength(1);
    expect(inbound.events[0]).toMatchObject({
      kind: 'follow',
      platform: 'telegram',
      externalId: '7000001:1001',
      payload: { startPayload: 'c_spring-sale_r_777', campaign: 'spring-sale', referrer: '777', chatKind: 'private' },
    });
    expect(inbound).toMatchObject({ kind: 'turn', turn: { command: { name: 'start', args: 'c_spring-sale_r_777' }, chatKind: 'private', messageId: '7000001:1001' } });
    expect(inbound.chat).toEqual({ id: '424242', kind: 'private' });
  });

  it('carries a referral link (/start ref_<code>) to the core in a private chat only', () => {
    const start = load('start-deep-link') as Update.MessageUpdate & { message: { text: string; chat: { id: number; type: string } } };
    const withCode = (text: string, chat = start.message.chat) => ({ ...start, message: { ...start.message, text, chat } }) as unknown as Update;
    const inbound = inboundOf(withCode('/start ref_k7qm2xpa'));
    expect(inbound).toMatchObject({ kind: 'turn', referral: { code: 'K7QM2XPA', channel: 'telegram' } });
    expect(inbound.events[0]).toMatchObject({ kind: 'follow', payload: { startPayload: 'ref_k7qm2xpa' } });
    expect(inboundOf(withCode('/start c_spring_r_42'))).not.toHaveProperty('referral');
    expect(inboundOf(withCode('/start ref_bad!'))).not.toHaveProperty('referral');
    expect(inboundOf(withCode('/start ref_K7QM2XPA', { id: -100123, type: 'supergroup' } as typeof start.message.chat))).not.toHaveProperty('referral');
  });

  it('turns free text into a message event and a text turn', () => {
    const inbound = inboundOf(load('text-zh'));
    expect(inbound.events[0]).toMatchObject({ kind: 'message', payload: { text: '有没有摄影课？' } });
    expect(inbound).toMatchObject({ kind: 'turn', turn: { text: '有没有摄影课？', locale: 'zh-CN' } });
  });

  it('turns a button tap into a click on the course, an action and a query to answer', () => {
    const t = translateUpdate(load('callback-buy'), options);
    if (t.kind !== 'callback_query') throw new Error(`expected a callback query, got ${t.kind}`);
    expect(t.callbackQueryId).toBe('8812345678901');
    expect(t.inbound.events[0]).toMatchObject({ kind: 'click', courseId: '0b6f1a52-4d7e-4c41-9a55-1f7e3b2b9c10' });
    expect(t.inbound).toMatchObject({ kind: 'turn', turn: { action: 'buy:0b6f1a52-4d7e-4c41-9a55-1f7e3b2b9c10', locale: 'en' } });
  });

  it('maps a blocked bot to unfollow + unreachable, and unblocking to follow + reachable', () => {
    const kicked = inboundOf(load('my-chat-member-kicked'));
    expect(kicked.events[0]).toMatchObject({ kind: 'unfollow', payload: { status: 'kicked', previousStatus: 'member' } });
    expect(kicked).toMatchObject({ kind: 'reachability', isReachable: false });
    const member = inboundOf(load('my-chat-member-member'));
    expect(member.events[0]).toMatchObject({ kind: 'follow' });
    expect(member).toMatchObject({ kind: 'reachability', isReachable: true });
  });

  it('reads the order and course out of pre_checkout_query and successful_payment payloads', () => {
    const orderId = '11111111-2222-4333-8444-555555555555';
    const courseId = '0b6f1a52-4d7e-4c41-9a55-1f7e3b2b9c10';
    const pre = load('pre-checkout-query') as Update.PreCheckoutQueryUpdate;
    pre.pre_checkout_query.invoice_payload = `${orderId}:${courseId}`;
    const t = translateUpdate(pre, options);
    if (t.kind !== 'pre_checkout_query') throw new Error(`expected a pre-checkout query, got ${t.kind}`);
    expect(t.queryId).toBe('4410000000000001');
    expect(t.checkout).toMatchObject({ orderId, courseId, currency: 'XTR', totalAmount: 150 });
    expect(t.inbound).toMatchObject({ kind: 'record' });
    expect(t.inbound.events[0]).toMatchObject({ kind: 'checkout', courseId });

    const paid = inboundOf(load('successful-payment'));
    expect(paid).toMatchObject({ kind: 'payment', payment: { provider: 'telegram_stars', chargeId: 'stxCHARGE0001', currency: 'XTR', totalAmount: 150 } });
    expect(paid.kind === 'payment' && paid.payment.orderId).toBeUndefined();
  });

  it('answers in groups only when mentioned, with the mention removed', () => {
    const mention = inboundOf(load('group-mention'));
    expect(mention.chat).toEqual({ id: '-100200300', kind: 'group' });
    expect(mention).toMatchObject({ kind: 'turn', turn: { text: 'any python course?', chatKind: 'group', locale: 'en' } });
    const chatter = inboundOf(load('group-chatter'));
    expect(chatter.events).toHaveLength(1);
    expect(chatter.kind).toBe('record');
  });

  it('parses deep-link payloads with either part missing', () => {
    expect(parseStartPayload('c_spring_r_42')).toEqual({ campaign: 'spring', referrer: '42' });
    expect(parseStartPayload('r_42')).toEqual({ referrer: '42' });
    expect(parseStartPayload('c_newyear')).toEqual({ campaign: 'newyear' });
    expect(parseStartPayload('')).toEqual({});
  });
});
