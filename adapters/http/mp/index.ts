export { createMpRouter, type MpRouterDeps } from './mp-router.js';
export { mpOpenApiDocument } from './openapi.js';
export { HttpWechatApiClient, type WechatApiClient, type Code2SessionResult } from './wechat-api-client.js';
export { issueSessionToken, verifySessionToken, type MpSession } from './session-token.js';
export { WindowRateLimiter } from './rate-limiter.js';
export { createMpLearningRouter, type MpLearningDeps } from './learning-routes.js';
export { requireMpSession } from './session-auth.js';
