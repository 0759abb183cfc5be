import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkMessage {
  chatId: string;
  text: string;
  messageId: number;
  at: number;
  /** The inline keyboard's button texts, row by row, when the message had one. */
  buttons?: string[][];
}

export interface BotApiSinkOptions {
  /**
   * Messages per second the sink accepts before answering 429 with retry_after (Telegram-style), as
   * a token bucket holding one second of messages (bursts up to the rate); unset: no limit.
   */
  ratePerSecond?: number;
  /** Chat ids that answer 403 "bot was blocked by the user". */
  blockedChatIds?: ReadonlySet<string>;
  /** Milliseconds each request takes, to look like a real network. */
  latencyMs?: number;
}

/**
 * A local HTTP server that answers the Telegram Bot API `sendMessage` method
 * (`POST /bot<token>/sendMessage`) the way Telegram does — including 429 with
 * `parameters.retry_after` above a rate and 403 for blocked chats — and records what arrived.
 */
export class BotApiSink {
  readonly messages: SinkMessage[] = [];
  tooManyRequests = 0;
  private server: Server | undefined;
  private nextId = 1;
  private tokens = 0;
  private refilledAt = 0;

  constructor(private readonly options: BotApiSinkOptions = {}) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const reply = (status: number, body: unknown) => {
          const send = () => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(body));
          };
          if (this.options.latencyMs) setTimeout(send, this.options.latencyMs);
          else send();
        };
        if (!/^\/bot[^/]+\/sendMessage$/.test(req.url ?? '')) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
        let body: { chat_id?: string | number; text?: string; reply_markup?: { inline_keyboard?: Array<Array<{ text: string }>> } | string };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
        }
        const chatId = String(body.chat_id ?? '');
        if (this.options.blockedChatIds?.has(chatId)) return reply(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
        const rate = this.options.ratePerSecond;
        if (rate) {
          const now = performance.now();
          this.tokens = this.refilledAt === 0 ? rate : Math.min(rate, this.tokens + ((now - this.refilledAt) / 1000) * rate);
          this.refilledAt = now;
          if (this.tokens < 1) {
            this.tooManyRequests += 1;
            return reply(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
          }
          this.tokens -= 1;
        }
        const markup = typeof body.reply_markup === 'string' ? (JSON.parse(body.reply_markup) as { inline_keyboard?: Array<Array<{ text: string }>> }) : body.reply_markup;
        const buttons = markup?.inline_keyboard?.map((row) => row.map((b) => b.text));
        const message: SinkMessage = { chatId, text: String(body.text ?? ''), messageId: this.nextId++, at: Date.now(), ...(buttons ? { buttons } : {}) };
        this.messages.push(message);
        reply(200, { ok: true, result: { message_id: message.messageId, chat: { id: Number(chatId) || chatId }, date: Math.floor(message.at / 1000), text: message.text } });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
