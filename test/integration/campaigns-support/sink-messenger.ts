import { replyAsText, type Messenger, type Recipient, type Reply, type SendPurpose, type SendResult } from '../../../core/index.js';

/**
 * A Messenger that calls a Telegram-style Bot API over real HTTP (the local `BotApiSink` or any
 * compatible server), with an optional pace (messages per second) like a production messenger's
 * rate limiter. Used by campaign tests and the broadcast benchmark.
 */
export class SinkMessenger implements Messenger {
  readonly platform = 'telegram' as const;
  sends = 0;
  private nextSlotMs = 0;

  constructor(private readonly baseUrl: string, private readonly options: { ratePerSecond?: number; token?: string } = {}) {}

  private async pace(): Promise<void> {
    const rate = this.options.ratePerSecond;
    if (!rate) return;
    const now = performance.now();
    const slot = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = slot + 1000 / rate;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }

  async send(to: Recipient, replies: readonly Reply[], _options: { purpose: SendPurpose; idempotencyKey?: string }): Promise<SendResult> {
    const ids: string[] = [];
    for (const reply of replies) {
      await this.pace();
      this.sends += 1;
      const response = await fetch(`${this.baseUrl}/bot${this.options.token ?? '123:test'}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: to.chatId, text: replyAsText(reply) }),
      });
      const body = (await response.json()) as { ok: boolean; result?: { message_id: number }; description?: string; parameters?: { retry_after?: number } };
      if (response.status === 429) return { status: 'rate_limited', retryAfterMs: (body.parameters?.retry_after ?? 1) * 1000 };
      if (response.status === 403) return { status: 'blocked', reason: body.description ?? 'forbidden' };
      if (!body.ok || !body.result) return { status: 'failed', reason: body.description ?? `HTTP ${response.status}`, isRetryable: response.status >= 500 };
      ids.push(String(body.result.message_id));
    }
    return { status: 'sent', providerMessageIds: ids };
  }
}
