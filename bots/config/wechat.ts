import { z } from 'zod';
import { envBoolean, envInt, envOptional, envUrl } from './env-schema.js';

const httpsOrHttp = /^https?:\/\//;

/** WeChat: mini-program login, WeChat Pay (API v3) and the wechaty bot. Documented in .env.example. */
export const wechatEnvSchema = z.object({
  WECHAT_APP_ID: envOptional(),
  WECHAT_APP_SECRET: envOptional(),
  WECHAT_API_BASE: envUrl(httpsOrHttp, 'expected an http(s) URL such as https://api.weixin.qq.com').transform((v) => v ?? 'https://api.weixin.qq.com'),
  WECHAT_PAY_API_BASE: envUrl(httpsOrHttp, 'expected an http(s) URL such as https://api.mch.weixin.qq.com').transform((v) => v ?? 'https://api.mch.weixin.qq.com'),
  WECHAT_PAY_MCH_ID: envOptional(),
  WECHAT_PAY_MCH_SERIAL: envOptional(),
  WECHAT_PAY_PRIVATE_KEY_PATH: envOptional(),
  WECHAT_PAY_PLATFORM_CERT_PATH: envOptional(),
  WECHAT_PAY_PLATFORM_SERIAL: envOptional(),
  WECHAT_PAY_APIV3_KEY: envOptional().refine((v) => v === undefined || Buffer.byteLength(v) === 32, { message: 'expected exactly 32 bytes (the APIv3 key set in the merchant console)' }),
  WECHAT_PAY_NOTIFY_URL: envUrl(/^https:\/\//, 'expected the public https URL of POST /mp/pay/notify'),
  WECHAT_VIRTUAL_OFFER_ID: envOptional(),
  WECHAT_VIRTUAL_APP_KEY: envOptional(),
  WECHAT_VIRTUAL_ENV: z.enum(['0', '1'], { message: 'expected 0 (production) or 1 (WeChat\'s sandbox)' }).default('0').transform((v) => (v === '1' ? 1 : 0) as 0 | 1),
  WECHAT_PUSH_TOKEN: envOptional(),
  WECHAT_PAY_SANDBOX: z.enum(['auto', 'true', 'false'], { message: 'expected auto, true or false' }).default('auto'),
  MP_SESSION_SECRET: envOptional().refine((v) => v === undefined || v.length >= 32, { message: 'expected at least 32 characters' }),
  MP_SESSION_TTL_SECONDS: envInt(7 * 24 * 3600, 60, 90 * 24 * 3600),
  MP_EVENTS_PER_MINUTE: envInt(120, 1, 100_000),
  MP_COURSE_PAGE_URL: envOptional(),
  WECHAT_BOT_ENABLED: envBoolean(false),
  WECHATY_NAME: z.string().regex(/^[\w-]{1,64}$/, 'use letters, digits, _ and -').default('zhiliao-wechat'),
  WECHATY_PUPPET: z.string().min(1).default('wechaty-puppet-wechat4u'),
  WECHATY_PUPPET_SERVICE_TOKEN: envOptional(),
  WECHAT_AUTO_ACCEPT_FRIENDS: envBoolean(true),
  WECHAT_FRIEND_KEYWORDS: z.string().default('').transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean)),
  WECHAT_SEND_INTERVAL_MS: envInt(3000, 0, 600_000),
  WECHAT_SEND_JITTER_MS: envInt(1500, 0, 600_000),
  WECHAT_DAILY_SEND_CAP: envInt(500, 1, 100_000),
  WECHAT_ROOM_SENDS_PER_HOUR: envInt(20, 1, 10_000),
  WECHAT_MINI_PROGRAM_USERNAME: envOptional(),
});

export function toWechatConfig(env: z.output<typeof wechatEnvSchema>) {
  return {
    wechat: {
      miniProgram: {
        appId: env.WECHAT_APP_ID,
        appSecret: env.WECHAT_APP_SECRET,
        apiBase: env.WECHAT_API_BASE,
        sessionSecret: env.MP_SESSION_SECRET,
        sessionTtlSeconds: env.MP_SESSION_TTL_SECONDS,
        eventsPerMinute: env.MP_EVENTS_PER_MINUTE,
        coursePageUrl: env.MP_COURSE_PAGE_URL,
        /** The mini-program's original id (gh_…), for mini-program cards sent by the bot. */
        username: env.WECHAT_MINI_PROGRAM_USERNAME,
      },
      /** WeChat virtual payment (虚拟支付): used for mini-program orders when an offer id is set. */
      virtual: {
        offerId: env.WECHAT_VIRTUAL_OFFER_ID,
        appKey: env.WECHAT_VIRTUAL_APP_KEY,
        env: env.WECHAT_VIRTUAL_ENV,
        /** The message-push token (mini-program admin → 开发 → 消息推送), for `/mp/xpay/notify`. */
        pushToken: env.WECHAT_PUSH_TOKEN,
      },
      pay: {
        apiBase: env.WECHAT_PAY_API_BASE,
        mchId: env.WECHAT_PAY_MCH_ID,
        mchSerial: env.WECHAT_PAY_MCH_SERIAL,
        privateKeyPath: env.WECHAT_PAY_PRIVATE_KEY_PATH,
        platformCertPath: env.WECHAT_PAY_PLATFORM_CERT_PATH,
        platformSerial: env.WECHAT_PAY_PLATFORM_SERIAL,
        apiV3Key: env.WECHAT_PAY_APIV3_KEY,
        notifyUrl: env.WECHAT_PAY_NOTIFY_URL,
        /** `auto`: the local sandbox when no merchant is configured (never in production); `true`: always; `false`: never. */
        sandbox: env.WECHAT_PAY_SANDBOX,
      },
      bot: {
        isEnabled: env.WECHAT_BOT_ENABLED,
        name: env.WECHATY_NAME,
        puppet: env.WECHATY_PUPPET,
        puppetToken: env.WECHATY_PUPPET_SERVICE_TOKEN,
        autoAcceptFriends: env.WECHAT_AUTO_ACCEPT_FRIENDS,
        friendKeywords: env.WECHAT_FRIEND_KEYWORDS,
        pacing: {
          intervalMs: env.WECHAT_SEND_INTERVAL_MS,
          jitterMs: env.WECHAT_SEND_JITTER_MS,
          dailyCap: env.WECHAT_DAILY_SEND_CAP,
          roomSendsPerHour: env.WECHAT_ROOM_SENDS_PER_HOUR,
        },
      },
    },
  };
}

export type WechatConfig = ReturnType<typeof toWechatConfig>['wechat'];
