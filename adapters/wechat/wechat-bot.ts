import qrcodeTerminal from 'qrcode-terminal';
import { types, type Wechaty } from 'wechaty';
import type { ContactInterface, FriendshipInterface, MessageInterface, RoomInterface } from 'wechaty/impls';
import { handleInbound, recordEvent, type DialogDeps, type InboundMessage, type Logger, type UnitOfWork } from '../../core/index.js';
import { ROOM_PREFIX, type WechatMessenger } from './wechat-messenger.js';

export interface WechatBotDeps {
  bot: Wechaty;
  dialog: DialogDeps;
  uow: UnitOfWork;
  messenger: WechatMessenger;
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
 * The wechaty bot: friend requests (auto-accepted when enabled and the greeting holds a keyword)
 * become follows with a welcome and onboarding; people joining a room are welcomed there; private
 * messages and @mentions in rooms go to the shared core dialog; every reply leaves through the
 * paced WechatMessenger. Each inbound message is recorded once (keyed on its id), so a redelivered
 * message is not answered twice.
 *
 * @example
 * const wechat = new WechatBot(deps); await wechat.start(); // scan the QR printed in the terminal
 */
export class WechatBot {
  private state: LoginState = { status: 'not_started' };

  constructor(private readonly deps: WechatBotDeps) {
    const { bot } = deps;
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

  /** Records an event for a contact, creating the follower on first sight; null when already recorded. */
  private async record(kind: 'follow' | 'message', externalId: string, contact: ContactInterface, payload: Record<string, unknown>): Promise<string | null> {
    const result = await recordEvent(this.deps.dialog.recordEventsDeps, {
      kind, platform: 'wechat', externalId, identity: { kind: 'wechat', externalId: contact.id, displayName: contact.name().slice(0, 128) || undefined }, payload,
    });
    return result.status === 'recorded' ? result.followerId : null;
  }

  private async answer(chatId: string, followerId: string, inbound: Omit<InboundMessage, 'platform' | 'followerId'>, idempotencyKey: string): Promise<void> {
    const replies = await handleInbound(this.deps.dialog, { platform: 'wechat', followerId, ...inbound });
    if (replies.length === 0) return;
    const result = await this.deps.messenger.send({ followerId, chatId }, replies, { purpose: 'transactional', idempotencyKey });
    if (result.status !== 'sent') this.deps.logger.warn({ chatId, status: result.status }, 'WeChat reply not sent');
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
    const followerId = await this.record('follow', `friendship:${friendship.id}`, contact, { hello: hello.slice(0, 200) });
    if (!followerId) return;
    await this.answer(contact.id, followerId, { messageId: `friendship:${friendship.id}`, chatKind: 'private', command: { name: 'start', args: '' } }, `welcome:${friendship.id}`);
  }

  private async onRoomJoin(room: RoomInterface, invitees: ContactInterface[]): Promise<void> {
    const self = this.deps.bot.currentUser;
    for (const contact of invitees) {
      if (contact.id === self.id) continue;
      const { follower } = await this.deps.uow.run((repos) =>
        repos.followers.resolveIdentity({ kind: 'wechat', externalId: contact.id, displayName: contact.name().slice(0, 128) || undefined }),
      );
      const key = `room-join:${room.id}:${contact.id}`;
      await this.answer(`${ROOM_PREFIX}${room.id}`, follower.id, { messageId: key, chatKind: 'group', command: { name: 'start', args: '' } }, `${key}:${Math.floor(Date.now() / 60_000)}`);
    }
  }

  private async onMessage(message: MessageInterface): Promise<void> {
    if (message.self() || message.type() !== types.Message.Text) return;
    const room = message.room();
    if (room && !(await message.mentionSelf())) return;
    const talker = message.talker();
    const text = (room ? await message.mentionText() : message.text()).trim();
    if (!text) return;
    const followerId = await this.record('message', `msg:${message.id}`, talker, { text: text.slice(0, 2000), ...(room ? { roomId: room.id } : {}) });
    if (!followerId) return;
    const chatId = room ? `${ROOM_PREFIX}${room.id}` : talker.id;
    const option = /^(\d{1,2})$/.exec(text);
    const action = option ? this.deps.messenger.optionsFor(chatId)[Number(option[1]) - 1] : undefined;
    const content = action ? { action } : { text: text.slice(0, 4096) };
    await this.answer(chatId, followerId, { messageId: message.id, chatKind: room ? 'group' : 'private', ...content }, `reply:${message.id}`);
  }
}
