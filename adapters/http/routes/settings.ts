import { Router } from 'express';
import { z } from 'zod';
import type { ConsoleUnitOfWork } from '../../../core/index.js';
import { principalOf, requireRole } from '../auth/console-auth.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, 24-hour');

export const guardsBody = z.object({
  dailyCap: z.number().int().min(0).max(100),
  weeklyCap: z.number().int().min(0).max(500),
  quietStart: hhmm,
  quietEnd: hhmm,
});

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

/**
 * `/settings` (admins only): frequency caps and quiet hours (the campaigns' guard settings),
 * consent texts, and the status of each channel.
 */
export function createSettingsRouter(deps: { uow: ConsoleUnitOfWork; channels: () => ChannelInfo[] }): Router {
  const router = Router();
  router.use('/settings', requireRole('admin'));

  router.get('/settings', async (_req, res) => {
    const { guards, consent } = await deps.uow.run(async (r) => ({ guards: await r.settings.getGuards(), consent: await r.settings.get('consent_texts') }));
    res.json({ guards, consentTexts: consentTextsBody.safeParse(consent).data ?? DEFAULT_CONSENT_TEXTS, channels: deps.channels() });
  });

  router.put('/settings/guards', async (req, res) => {
    const body = guardsBody.parse(req.body);
    const actor = principalOf(req).actor;
    await deps.uow.run(async (r) => {
      const before = await r.settings.getGuards();
      await r.settings.putGuards(body);
      await r.audit.record({ actor, action: 'settings.guards', subjectType: 'settings', subjectId: 'guards', details: { from: before, to: body } });
    });
    res.json(body);
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
