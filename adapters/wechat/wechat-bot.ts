import qrcodeTerminal from 'qrcode-terminal';
import { types, type Wechaty } from 'wechaty';
import type { ContactInterface, FriendshipInterface, MessageInterface, RoomInterface } from 'wechaty/impls';
import { EventBatcher, InboundConversation, type ChatLearning, type DialogDeps, type DialogInput, type EventInput, type IdentityInput, type Logger } from '../../core/index.js';
import { ROOM_PREFIX, type WechatMessenger } from './wechat-messenger.js';
import type { WechatReplyOutbox } from './wechat-reply-outbox.js';

export interface WechatBotDeps {
  bot: Wechaty;
  dialog: DialogDeps;
  /** The durable reply queue chat answers go to. */
  outbox: WechatReplyOutbox;
  /** Course delivery in chat (lesson links, check-ins). */
  learning?: ChatLearning;
  /** Knows which numbered options were last offered in a chat. */
  messenger: Pick<WechatMessenger, 'optionsFor'>;
  logger: Logger;
  friends: { autoAccept: boolean; keywords: readonly string[] };
  /** Print the login QR code in the terminal (off in tests). */
  printQr?: boolean;
  onError?: (where: string) => void;
}

export type LoginState =
  | { status: 'not_started' }
  | { status: 'waiting_for_scan'; qrcode: string; scanStatus: string; terminal: string; updatedAt: string }
  | { status: 'logged_in'; user: string; since: string }
  | { status: 'logged_out'; since: string };

/**
 * The wechaty edge of the core inbound use case: friend requests (auto-accepted when enabled and
 * the greeting holds a keyword) become follows with a welcome and onboarding; people joining a room
 * are welcomed there; private messages and @mentions in rooms become dialog turns. Each is handed
 * to {@link InboundConversation} (events recorded with group commit, keyed on the WeChat id, so a
 * redelivered message is not answered twice) and its replies go to the durable reply queue.
 *
 * @example
 * const wechat = new WechatBot(deps); await wechat.start(); // scan the QR printed in the terminal
 */
export class WechatBot {
  private state: LoginState = { status: 'not_started' };
  private readonly conversation: InboundConversation;

  constructor(private readonly deps: WechatBotDeps) {
    const { bot } = deps;
    // Concurrent messages share one events statement (group commit), as on Telegram.
    const events = new EventBatcher(deps.dialog.recordEventsDeps, { maxWaitMs: 0, maxConcurrentFlushes: 2 });
    this.conversation = new InboundConversation({ dialog: deps.dialog, events, outbox: deps.outbox, logger: deps.logger, ...(deps.learning ? { learning: deps.learning } : {}) });
    bot.on('scan', (qrcode, status) => this.onScan(qrcode, status));
    bot.on('login', (user) => {
      this.state = { status: 'logged_in', user: user.name(), since: new Date().toISOString() };
      deps.logger.info({ user: user.name() }, 'WeChat account logged in');
    });
    bot.on('logout', (user) => {
      this.state = { status: 'logged_out', since: new Date().toISOString() };
      deps.logger.warn({ user: user.name() }, 'WeChat account logged out; scan the QR code again');
    });
    bot.on('error', (error) => this.fail('puppet', error));
    bot.on('friendship', (friendship) => this.guard('friendship', () => this.onFriendship(friendship)));
    bot.on('room-join', (room, invitees) => this.guard('room-join', () => this.onRoomJoin(room, invitees)));
    bot.on('message', (message) => this.guard('message', () => this.onMessage(message)));
  }

  loginState(): LoginState {
    return this.state;
  }

  async start(): Promise<void> {
    await this.deps.bot.start();
  }

  async stop(): Promise<void> {
    await this.deps.bot.stop();
  }

  private onScan(qrcode: string, status: types.ScanStatus): void {
    const scanStatus = types.ScanStatus[status] ?? String(status);
    let terminal = '';
    qrcodeTerminal.generate(qrcode, { small: true }, (art) => (terminal = art));
    this.state = { status: 'waiting_for_scan', qrcode, scanStatus, terminal, updatedAt: new Date().toISOString() };
    if (this.deps.printQr !== false && (status === types.ScanStatus.Waiting || status === types.ScanStatus.Timeout)) {
      console.log(`Scan with WeChat to log in (also at GET /api/wechat/login-qr):\n${terminal}`);
    }
    this.deps.logger.info({ scanStatus }, 'WeChat login QR code ready');
  }

  private async guard(where: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.fail(where, error);
    }
  }

  private fail(where: string, error: unknown): void {
    this.deps.logger.error({ err: error, where }, 'WeChat bot error');
    this.deps.onError?.(where);
  }

  /** A dialog turn for a contact in a chat, recorded as one event keyed on `externalId`. */
  private async answer(contact: ContactInterface, chat: { id: string; kind: 'private' | 'group' }, event: { kind: 'follow' | 'message'; externalId: string; payload: Record<string, unknown> }, turn: Omit<DialogInput, 'platform' | 'chatKind'>): Promise<void> {
    const identity: IdentityInput = { kind: 'wechat', externalId: contact.id, ...(contact.name() ? { displayName: contact.name().slice(0, 128) } : {}) };
    const recorded: EventInput = { kind: event.kind, platform: 'wechat', externalId: event.externalId, identity, payload: event.payload };
    await this.conversation.answer({ kind: 'turn', identity, chat, events: [recorded], turn: { platform: 'wechat', chatKind: chat.kind, ...turn } });
  }

  private async onFriendship(friendship: FriendshipInterface): Promise<void> {
    if (friendship.type() !== types.Friendship.Receive) return;
    const hello = friendship.hello();
    const { autoAccept, keywords } = this.deps.friends;
    const isWanted = autoAccept && (keywords.length === 0 || keywords.some((k) => hello.includes(k)));
    if (!isWanted) {
      this.deps.logger.info({ autoAccept }, 'friend request left for a person to review');
      return;
    }
    await friendship.accept();
    const contact = friendship.contact();
    const key = `friendship:${friendship.id}`;
    await this.answer(contact, { id: contact.id, kind: 'private' }, { kind: 'follow', externalId: key, payload: { hello: hello.slice(0, 200) } }, { messageId: key, command: { name: 'start', args: '' } });
  }

  private async onRoomJoin(room: RoomInterface, invitees: ContactInterface[]): Promise<void> {
    const self = this.deps.bot.currentUser;
    // Someone who leaves and joins again is welcomed again, but a redelivered join within the same minute is not.
    const minute = Math.floor(Date.now() / 60_000);
    for (const contact of invitees) {
      if (contact.id === self.id) continue;
      const key = `room-join:${room.id}:${contact.id}:${minute}`;
      await this.answer(contact, { id: `${ROOM_PREFIX}${room.id}`, kind: 'group' }, { kind: 'follow', externalId: key, payload: { via: 'room_join', roomId: room.id } }, { messageId: key, command: { name: 'start', args: '' } });
    }
  }

  private async onMessage(message: MessageInterface): Promise<void> {
    if (message.self() || message.type() !== types.Message.Text) return;
    const room = message.room();
    if (room && !(await message.mentionSelf())) return;
    const talker = message.talker();
    const text = (room ? await message.mentionText() : message.text()).trim();
    if (!text) return;
    const chat = room ? { id: `${ROOM_PREFIX}${room.id}`, kind: 'group' as const } : { id: talker.id, kind: 'private' as const };
    const option = /^(\d{1,2})$/.exec(text);
    const action = option ? this.deps.messenger.optionsFor(chat.id)[Number(option[1]) - 1] : undefined;
    const content = action ? { action } : { text: text.slice(0, 4096) };
    const payload = { text: text.slice(0, 2000), ...(room ? { roomId: room.id } : {}) };
    await this.answer(talker, chat, { kind: 'message', externalId: `msg:${message.id}`, payload }, { messageId: message.id, ...content });
  }
}
