import { Router } from 'express';
import { requireRole } from '../http/auth/console-auth.js';
import type { LoginState } from './wechat-bot.js';

/**
 * `GET /wechat/login-qr` (admins only): the QR code to scan with the bot's WeChat account, as the
 * value to encode and as terminal art, or the login state when there is none to scan. Whoever
 * scans it takes over the bot's WeChat session, so creators get 403.
 */
export function createWechatLoginQrRouter(loginState: () => LoginState | null): Router {
  const router = Router();
  router.get('/wechat/login-qr', requireRole('admin'), (_req, res) => {
    const state = loginState();
    if (!state) {
      res.status(404).json({ error: { code: 'wechat_bot_off', message: 'The WeChat bot is off: set WECHAT_BOT_ENABLED=true and restart.' } });
      return;
    }
    res.json(state);
  });
  return router;
}
