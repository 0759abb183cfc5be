import { z } from 'zod';
import { HttpError } from '../errors.js';

/** What code2session gives us. `sessionKey` stays on the server and is never returned to clients. */
export interface Code2SessionResult {
  openId: string;
  unionId?: string;
  sessionKey: string;
}

/**
 * The WeChat server API the mini-program needs (login).
 *
 * @example
 * const { openId, unionId } = await client.code2Session(code);
 */
export interface WechatApiClient {
  code2Session(code: string): Promise<Code2SessionResult>;
}

const code2SessionResponse = z.object({
  openid: z.string().min(1).optional(),
  session_key: z.string().min(1).optional(),
  unionid: z.string().min(1).optional(),
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
});

/** errcodes that mean the `wx.login` code itself is bad: invalid (40029), already used (40163), blocked user (40226). */
const BAD_CODE_ERRCODES = new Set([40029, 40163, 40226]);

/**
 * `GET {apiBase}/sns/jscode2session` over fetch; the base URL is configurable so tests and
 * proxies can stand in for api.weixin.qq.com.
 */
export class HttpWechatApiClient implements WechatApiClient {
  constructor(private readonly options: { apiBase: string; appId: string; appSecret: string; timeoutMs?: number; fetch?: typeof fetch }) {}

  async code2Session(code: string): Promise<Code2SessionResult> {
    const url = new URL('/sns/jscode2session', this.options.apiBase);
    url.search = new URLSearchParams({ appid: this.options.appId, secret: this.options.appSecret, js_code: code, grant_type: 'authorization_code' }).toString();
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
    } catch (error) {
      throw new HttpError(502, 'wechat_unreachable', `WeChat code2session could not be reached (${error instanceof Error ? error.name : 'error'}); try again.`);
    }
    if (!response.ok) throw new HttpError(502, 'wechat_error', `WeChat code2session answered HTTP ${response.status}; try again later.`);
    const parsed = code2SessionResponse.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new HttpError(502, 'wechat_error', 'WeChat code2session answered with an unexpected body.');
    const body = parsed.data;
    if (body.errcode && BAD_CODE_ERRCODES.has(body.errcode)) {
      throw new HttpError(401, 'invalid_code', `The wx.login code was rejected by WeChat (errcode ${body.errcode}): it is invalid, expired or already used. Call wx.login again.`);
    }
    if (body.errcode || !body.openid || !body.session_key) {
      throw new HttpError(502, 'wechat_error', `WeChat code2session failed (errcode ${body.errcode ?? 'none'}); try again later.`);
    }
    return { openId: body.openid, sessionKey: body.session_key, ...(body.unionid ? { unionId: body.unionid } : {}) };
  }
}
