import { Router } from 'express';
import { attributeReferral, referralCodeOf, type Clock, type Follower, type RiskMonitor, type UnitOfWork } from '../../../core/index.js';
import { HttpError } from '../errors.js';
import { loginRequest, type loginResponse } from './schemas.js';
import { issueSessionToken } from './session-token.js';
import type { WechatApiClient } from './wechat-api-client.js';
import type { z } from 'zod';

export interface LoginDeps {
  /** Unset when WECHAT_APP_ID/WECHAT_APP_SECRET are not configured: login then answers 503. */
  wechat: WechatApiClient | undefined;
  uow: UnitOfWork;
  clock: Clock;
  sessionSecret: string;
  sessionTtlSeconds: number;
  /** Told which unionid and device each login came from: many followers behind one is a risk signal. */
  risk?: RiskMonitor;
  /** Where each login's session_key is kept, when a payment needs it (WeChat virtual payment signs with it). */
  sessionKeys?: { save(entry: { openId: string; followerId: string; sessionKey: string; at: Date }): Promise<void> };
}

/**
 * `POST /login` — a wx.login code becomes our session token. One person is one follower: the
 * unionid (shared by the mini-program, the official account and WeCom under one open-platform
 * account) wins over the openid; first sight creates the follower. A `scene` carrying a referral
 * code attributes a new follower to its referrer (see `attributeReferral`).
 */
export function createLoginRouter(deps: LoginDeps): Router {
  const router = Router();
  router.post('/login', async (req, res) => {
    const body = loginRequest.parse(req.body);
    if (!deps.wechat) throw new HttpError(503, 'wechat_login_not_configured', 'WeChat login is not configured: set WECHAT_APP_ID and WECHAT_APP_SECRET');
    const { openId, unionId, sessionKey } = await deps.wechat.code2Session(body.code);
    const { follower, isNew } = await deps.uow.run(async (repos) => {
      const byUnion = unionId
        ? ((await repos.followers.findByIdentity('mp_unionid', unionId)) ?? (await repos.followers.findByIdentity('wechat', unionId)))
        : null;
      let found: Follower | null = byUnion ?? (await repos.followers.findByIdentity('mp_openid', openId));
      let created = false;
      if (!found) {
        const resolved = await repos.followers.resolveIdentity({ kind: 'mp_openid', externalId: openId, displayName: body.displayName, locale: body.locale });
        found = resolved.follower;
        created = resolved.isNew;
      }
      if (byUnion) await repos.followers.linkIdentity(found.id, 'mp_openid', openId);
      if (unionId) await repos.followers.linkIdentity(found.id, 'mp_unionid', unionId);
      return { follower: found, isNew: created };
    });
    await deps.sessionKeys?.save({ openId, followerId: follower.id, sessionKey, at: deps.clock.now() });
    const linkKeys = [...(unionId ? [`unionid:${unionId}`] : []), ...(body.deviceId ? [`device:${body.deviceId}`] : [])];
    deps.risk?.observeLinks(follower.id, linkKeys);
    // Kept so a referral between accounts on one device is refused in every process, before it is attributed.
    await deps.uow.repos.referrals.addLinkKeys(follower.id, linkKeys, deps.clock.now());
    const code = referralCodeOf(body.scene);
    const referral = code ? await attributeReferral({ uow: deps.uow, clock: deps.clock, ...(deps.risk ? { risk: deps.risk } : {}) }, { followerId: follower.id, code, channel: 'miniprogram' }) : undefined;
    const { token, session } = issueSessionToken(deps.sessionSecret, { followerId: follower.id, openId }, deps.clock.now(), deps.sessionTtlSeconds);
    const answer: z.infer<typeof loginResponse> = {
      token,
      expiresAt: new Date(session.exp * 1000).toISOString(),
      follower: { id: follower.id, isNew, locale: follower.locale },
      ...(referral ? { referral: referral.outcome === 'attributed' ? 'attributed' : referral.reason } : {}),
    };
    res.status(isNew ? 201 : 200).json(answer);
  });
  return router;
}
