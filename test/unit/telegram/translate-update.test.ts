import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Update } from 'telegraf/types';
import { parseStartPayload, translateUpdate } from '../../../adapters/telegram/index.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/telegram');
const load = (name: string): Update => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Update;
const options = { botId: '7000001', botUsername: 'ZhiliaoBot' };

describe('translateUpdate on recorded updates', () => {
  it('turns /start with a deep link into a follow event carrying the attribution, and a start command', () => {
    const t = translateUpdate(load('start-deep-link'), options);
    expect(t.identity).toEqual({ kind: 'telegram', externalId: '424242', displayName: 'Li Wei', locale: 'zh-CN' });
    expect(t.events).toHaveLength(1);
    expect(t.events[0]).toMatchObject({
      kind: 'follow',
      platform: 'telegram',
      externalId: '7000001:1001',
      payload: { startPayload: 'c_spring-sale_r_777', campaign: 'spring-sale', referrer: '777', chatKind: 'private' },
    });
    expect(t.inbound).toMatchObject({ command: { name: 'start', args: 'c_spring-sale_r_777' }, chatKind: 'private', messageId: '7000001:1001' });
    expect(t.chat).toEqual({ id: '424242', kind: 'private' });
  });

  it('turns free text into a message event and a text inbound', () => {
    const t = translateUpdate(load('text-zh'), options);
    expect(t.events[0]).toMatchObject({ kind: 'message', payload: { text: '有没有摄影课？' } });
    expect(t.inbound).toMatchObject({ text: '有没有摄影课？', locale: 'zh-CN' });
  });

  it('turns a button tap into a click on the course, an action and a query to answer', () => {
    const t = translateUpdate(load('callback-buy'), options);
    expect(t.callbackQueryId).toBe('8812345678901');
    expect(t.events[0]).toMatchObject({ kind: 'click', courseId: '0b6f1a52-4d7e-4c41-9a55-1f7e3b2b9c10' });
    expect(t.inbound).toMatchObject({ action: 'buy:0b6f1a52-4d7e-4c41-9a55-1f7e3b2b9c10', locale: 'en' });
  });

  it('maps a blocked bot to unfollow + unreachable, and unblocking to follow + reachable', () => {
    const kicked = translateUpdate(load('my-chat-member-kicked'), options);
    expect(kicked.events[0]).toMatchObject({ kind: 'unfollow', payload: { status: 'kicked', previousStatus: 'member' } });
    expect(kicked.isReachable).toBe(false);
    expect(kicked.inbound).toBeUndefined();
    const member = translateUpdate(load('my-chat-member-member'), options);
    expect(member.events[0]).toMatchObject({ kind: 'follow' });
    expect(member.isReachable).toBe(true);
  });

  it('reads the order and course out of pre_checkout_query and successful_payment payloads', () => {
    const orderId = '11111111-2222-4333-8444-555555555555';
    const courseId = '0b6f1a52-4d7e-4c41-9a55-1f7e3b2b9c10';
    const pre = load('pre-checkout-query') as Update.PreCheckoutQueryUpdate;
    pre.pre_checkout_query.invoice_payload = `${orderId}:${courseId}`;
    const t = translateUpdate(pre, options);
    expect(t.preCheckout).toEqual({ queryId: '4410000000000001', invoicePayload: `${orderId}:${courseId}`, orderId, courseId, currency: 'XTR', totalAmount: 150 });
    expect(t.events[0]).toMatchObject({ kind: 'checkout', courseId });

    const paid = translateUpdate(load('successful-payment'), options);
    expect(paid.kind).toBe('successful_payment');
    expect(paid.payment).toMatchObject({ chargeId: 'stxCHARGE0001', currency: 'XTR', totalAmount: 150 });
    expect(paid.payment?.orderId).toBeUndefined();
    expect(paid.inbound).toBeUndefined();
  });

  it('answers in groups only when mentioned, with the mention removed', () => {
    const mention = translateUpdate(load('group-mention'), options);
    expect(mention.chat).toEqual({ id: '-100200300', kind: 'group' });
    expect(mention.inbound).toMatchObject({ text: 'any python course?', chatKind: 'group', locale: 'en' });
    const chatter = translateUpdate(load('group-chatter'), options);
    expect(chatter.events).toHaveLength(1);
    expect(chatter.inbound).toBeUndefined();
  });

  it('parses deep-link payloads with either part missing', () => {
    expect(parseStartPayload('c_spring_r_42')).toEqual({ campaign: 'spring', referrer: '42' });
    expect(parseStartPayload('r_42')).toEqual({ referrer: '42' });
    expect(parseStartPayload('c_newyear')).toEqual({ campaign: 'newyear' });
    expect(parseStartPayload('')).toEqual({});
  });
});
