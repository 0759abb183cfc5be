import { Router } from 'express';
import { z } from 'zod';
import type { ConsoleUnitOfWork } from '../../../core/index.js';
import { principalOf, requireRole } from '../auth/console-auth.js';

export const consentTextsBody = z.object({
  marketingZh: z.string().trim().min(1).max(2000),
  marketingEn: z.string().trim().min(1).max(2000),
  optOutZh: z.string().trim().min(1).max(500),
  optOutEn: z.string().trim().min(1).max(500),
});

export const DEFAULT_CONSENT_TEXTS: z.output<typeof consentTextsBody> = {
  marketingZh: '我们会偶尔向你推荐课程和优惠。回复“退订”即可随时停止。',
  marketingEn: 'We occasionally send course recommendations and offers. Reply /stop at any time to opt out.',
  optOutZh: '回复“退订”不再接收推广消息',
  optOutEn: 'Reply /stop to unsubscribe',
};

export interface ChannelInfo {
  channel: string;
  isOn: boolean;
  reason: string;
}

/** What a channel can say about itself beyond on/off, e.g. the Telegram bot's username from getMe. */
export type ChannelDetails = Record<string, string>;

/**
 * `/settings` (admins only): consent texts, and the status of each channel with its details.
 * Frequency caps and quiet hours live in one place, the campaigns' `GET/PUT /guard-settings`.
 */
export function createSettingsRouter(deps: {
  uow: ConsoleUnitOfWork;
  channels: () => ChannelInfo[];
  channelDetails?: () => Promise<Record<string, ChannelDetails>>;
}): Router {
  const router = Router();
  router.use('/settings', requireRole('admin'));

  router.get('/settings', async (_req, res) => {
    const [consent, details] = await Promise.all([deps.uow.run((r) => r.settings.get('consent_texts')), deps.channelDetails?.() ?? Promise.resolve({} as Record<string, ChannelDetails>)]);
    res.json({
      consentTexts: consentTextsBody.safeParse(consent).data ?? DEFAULT_CONSENT_TEXTS,
      channels: deps.channels().map((c) => ({ ...c, ...(details[c.channel] ? { details: details[c.channel] } : {}) })),
    });
  });

  router.put('/settings/consent-texts', async (req, res) => {
    const body = consentTextsBody.parse(req.body);
    const actor = principalOf(req).actor;
    await deps.uow.run(async (r) => {
      await r.settings.put('consent_texts', body, actor);
      await r.audit.record({ actor, action: 'settings.consent_texts', subjectType: 'settings', subjectId: 'consent_texts', details: { to: body } });
    });
    res.json(body);
  });

  return router;
}
