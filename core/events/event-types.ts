import { z } from 'zod';

/**
 * Every kind of thing a follower does that the core records; the events table's CHECK constraint
 * lists the same kinds (models/migrations/0012_learning.sql).
 */
export const EVENT_KINDS = [
  'follow', 'unfollow', 'message', 'view', 'click', 'like', 'share', 'comment', 'checkout', 'purchase', 'refund',
  'lesson_open', 'lesson_complete', 'check_in',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Where an event came from. `api` covers server-to-server imports through `POST /api/events`. */
export const PLATFORMS = ['telegram', 'wechat', 'miniprogram', 'web', 'api'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Kinds of external identity that resolve to one follower. */
export const IDENTITY_KINDS = ['telegram', 'wechat', 'mp_openid', 'mp_unionid'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const identitySchema = z.object({
  kind: z.enum(IDENTITY_KINDS),
  externalId: z.string().min(1).max(128),
  displayName: z.string().max(128).optional(),
  locale: z.enum(['zh-CN', 'en']).optional(),
  timeZone: z.string().max(64).optional(),
});
export type IdentityInput = z.infer<typeof identitySchema>;

/**
 * One event as it arrives at the core, from any edge. Either `followerId` names a known follower or
 * `identity` names a platform identity, which is resolved to its follower (created on first sight).
 */
export const eventInputSchema = z
  .object({
    kind: z.enum(EVENT_KINDS),
    platform: z.enum(PLATFORMS),
    externalId: z.string().min(1).max(200),
    followerId: z.uuid().optional(),
    identity: identitySchema.optional(),
    courseId: z.uuid().optional(),
    payload: z.record(z.string(), z.unknown()).default({}),
    occurredAt: z.coerce.date().optional(),
  })
  .refine((e) => e.followerId !== undefined || e.identity !== undefined, {
    message: 'give followerId or identity so the event can be tied to a follower',
    path: ['followerId'],
  });
export type EventInput = z.input<typeof eventInputSchema>;
export type ValidEventInput = z.output<typeof eventInputSchema>;

/** An event ready to store: follower resolved, terms extracted, time fixed. */
export interface NewEvent {
  followerId: string;
  kind: EventKind;
  platform: Platform;
  externalId: string;
  courseId: string | null;
  payload: Record<string, unknown>;
  terms: string[];
  occurredAt: Date;
}
