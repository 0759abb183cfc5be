import type { Wechaty } from 'wechaty';
import type { WechatOutgoing } from './render-reply.js';
import { ROOM_PREFIX, type WechatConversation, type WechatConversations } from './wechat-messenger.js';

/** Chats of a running wechaty bot: contacts by id, rooms as `room:<id>`; cards become UrlLink / MiniProgram. */
export class WechatyConversations implements WechatConversations {
  constructor(private readonly bot: Wechaty) {}

  async find(chatId: string): Promise<WechatConversation | null> {
    if (!this.bot.isLoggedIn) return null;
    try {
      const target = chatId.startsWith(ROOM_PREFIX) ? await this.bot.Room.find({ id: chatId.slice(ROOM_PREFIX.length) }) : await this.bot.Contact.find({ id: chatId });
      if (!target) return null;
      return { say: async (message) => idOf(await target.say(this.sayable(message))) };
    } catch {
      return null;
    }
  }

  private sayable(message: WechatOutgoing) {
    switch (message.kind) {
      case 'text':
        return message.text;
      case 'url_link':
        return new this.bot.UrlLink({ url: message.url, title: message.title, description: message.description, ...(message.thumbnailUrl ? { thumbnailUrl: message.thumbnailUrl } : {}) });
      case 'mini_program':
        return new this.bot.MiniProgram({ appid: message.appId, username: message.username, title: message.title, description: message.description, pagePath: message.pagePath });
    }
  }
}

function idOf(sent: unknown): string | undefined {
  return sent && typeof sent === 'object' && 'id' in sent && typeof sent.id === 'string' ? sent.id : undefined;
}
