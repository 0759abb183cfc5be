import { z } from 'zod';
import { PLATFORMS } from '../events/event-types.js';

/**
 * One thing a follower said or tapped in a chat, on any platform, after the adapter has resolved
 * the follower. Exactly one of `command`, `action` and `text` carries the content.
 */
export const inboundMessageSchema = z
  .object({
    platform: z.enum(PLATFORMS),
    followerId: z.uuid(),
    /** Unique per platform (Telegram `update_id`, WeChat message id): keys the events the dialog records. */
    messageId: z.string().min(1).max(120),
    /** The language the platform reports; the follower's stored choice wins. */
    locale: z.enum(['zh-CN', 'en']).optional(),
    chatKind: z.enum(['private', 'group']),
    text: z.string().max(4096).optional(),
    /** Button callback data such as `buy:<courseId>` or `page:2`. */
    action: z.string().min(1).max(64).optional(),
    /** A slash command without the slash, such as `{ name: 'start', args: 'c_spring_r_42' }`. */
    command: z.object({ name: z.string().min(1).max(64), args: z.string().max(512).default('') }).optional(),
  })
  .refine((m) => [m.text, m.action, m.command].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of text, action or command',
    path: ['text'],
  });

export type InboundMessage = z.input<typeof inboundMessageSchema>;
export type ValidInboundMessage = z.output<typeof inboundMessageSchema>;
