import { Router } from 'express';
import { z } from 'zod';
import { issueApiTokenSchema } from '../../../core/index.js';
import { createAccountBody, updateAccountBody } from './accounts.js';
import { createChapterBody, createLessonBody, updateChapterBody, updateLessonBody } from './admin-course-content.js';
import { courseLearningQuery } from './admin-course-learning.js';
import { adminCourseQuery, createCouponBody, createCourseBody, updateCouponBody, updateCourseBody } from './admin-courses.js';
import { exportQuery, issueCodeBody, newCouponBody, revenueQuery } from './commerce.js';
import { followerSearchQuery, timelineQuery } from './admin-followers.js';
import { loginBody } from './console-auth-routes.js';
import { dashboardQuery } from './dashboard.js';
import { pageQuery } from './pagination.js';
import { guardBody } from './schedules.js';
import { auditLogQuery } from './audit-log.js';
import { consentTextsBody } from './settings.js';
import { riskCasesQuery } from './risk.js';
import { riskSettingsSchema } from '../../../core/index.js';
import { inboxQuery, inboxReplyBody } from './inbox.js';
import { commissionsQuery, creatorQuery, markPaidOutBody } from './referrals.js';
import { distributorSchema, referralProgramSchema } from '../../../core/index.js';
import { broadcastInputSchema, retargetingRuleInputSchema } from '../../../core/campaigns/index.js';
import { broadcastListQuery } from './broadcasts.js';
import { recommenderExperimentInputSchema } from '../../../core/experiments/index.js';
import { recommenderExperimentListQuery } from './recommender-experiments.js';
import { previewBody } from './segments-preview.js';
import { scheduleRunsQuery, schedulePatchBody } from './schedules.js';

interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status; 200 unless given. */
  status?: number;
  isPublic?: boolean;
  isAdminOnly?: boolean;
}

const OPERATIONS: Operation[] = [
  { method: 'post', path: '/api/auth/login', summary: 'Log in; sets the session cookie and returns the CSRF token', tag: 'auth', body: loginBody, isPublic: true },
  { method: 'post', path: '/api/auth/logout', summary: 'End the session', tag: 'auth', status: 204 },
  { method: 'get', path: '/api/auth/me', summary: 'The caller', tag: 'auth' },
  { method: 'get', path: '/api/auth/csrf', summary: "The session's CSRF token", tag: 'auth' },
  { method: 'get', path: '/api/accounts', summary: 'List accounts', tag: 'accounts', query: pageQuery, isAdminOnly: true },
  { method: 'post', path: '/api/accounts', summary: 'Create an admin or creator', tag: 'accounts', body: createAccountBody, status: 201, isAdminOnly: true },
  { method: 'patch', path: '/api/accounts/{id}', summary: 'Change role, name, password or disabled state', tag: 'accounts', body: updateAccountBody, isAdminOnly: true },
  { method: 'get', path: '/api/tokens', summary: 'List API tokens (own; admins: all)', tag: 'tokens' },
  { method: 'post', path: '/api/tokens', summary: 'Issue an API token (shown once)', tag: 'tokens', body: issueApiTokenSchema, status: 201 },
  { method: 'delete', path: '/api/tokens/{id}', summary: 'Revoke an API token', tag: 'tokens', status: 204 },
  { method: 'get', path: '/api/courses', summary: 'List courses (creators: their own)', tag: 'courses', query: adminCourseQuery },
  { method: 'post', path: '/api/courses', summary: 'Create a course', tag: 'courses', body: createCourseBody, status: 201 },
  { method: 'get', path: '/api/courses/{id}', summary: 'One course', tag: 'courses' },
  { method: 'patch', path: '/api/courses/{id}', summary: 'Edit a course: texts, cover, teacher, tags, pacing, Telegram group, prices per channel in major units', tag: 'courses', body: updateCourseBody },
  { method: 'get', path: '/api/courses/{id}/content', summary: "A course's chapters with their lessons, in order", tag: 'courses' },
  { method: 'post', path: '/api/courses/{id}/chapters', summary: 'Add a chapter (position absent: last)', tag: 'courses', body: createChapterBody, status: 201 },
  { method: 'patch', path: '/api/courses/{id}/chapters/{chapterId}', summary: 'Rename or move a chapter', tag: 'courses', body: updateChapterBody },
  { method: 'delete', path: '/api/courses/{id}/chapters/{chapterId}', summary: 'Delete a chapter and its lessons', tag: 'courses', status: 204 },
  { method: 'post', path: '/api/courses/{id}/chapters/{chapterId}/lessons', summary: 'Add a lesson: text, link or video, attachment, minutes, free preview', tag: 'courses', body: createLessonBody, status: 201 },
  { method: 'patch', path: '/api/courses/{id}/lessons/{lessonId}', summary: 'Edit a lesson, or move it to another chapter of the course', tag: 'courses', body: updateLessonBody },
  { method: 'delete', path: '/api/courses/{id}/lessons/{lessonId}', summary: 'Delete a lesson', tag: 'courses', status: 204 },
  {
    method: 'get', path: '/api/courses/{id}/learning', tag: 'courses', query: courseLearningQuery,
    summary: "A course's learners, completion funnel by lesson (each step a subset of the one before) and learners stuck for stuckDays",
  },
  { method: 'post', path: '/api/courses/{id}/archive', summary: 'Archive a course', tag: 'courses' },
  { method: 'get', path: '/api/courses/{id}/coupons', summary: "A course's coupons", tag: 'courses' },
  { method: 'post', path: '/api/courses/{id}/coupons', summary: 'Create a coupon', tag: 'courses', body: createCouponBody, status: 201 },
  { method: 'patch', path: '/api/courses/{id}/coupons/{couponId}', summary: 'Activate or deactivate a coupon', tag: 'courses', body: updateCouponBody },
  { method: 'post', path: '/api/orders/{id}/refund', summary: 'Refund a paid order through its provider (Telegram Stars, WeChat Pay, WeChat virtual payment, the sandbox); frees its coupon; admins any order, creators their own courses', tag: 'commerce' },
  { method: 'get', path: '/api/coupons', summary: 'Coupons (creators: their own) with usage (reserved, redeemed, released) and revenue per currency', tag: 'commerce' },
  { method: 'post', path: '/api/coupons', summary: "Create a coupon for one course or all of a creator's courses (single code, one code per follower, or an automatic limited-time price)", tag: 'commerce', body: newCouponBody, status: 201 },
  { method: 'patch', path: '/api/coupons/{id}', summary: 'Switch a coupon on or off', tag: 'commerce', body: updateCouponBody },
  { method: 'post', path: '/api/coupons/{id}/codes', summary: "Issue a follower's own code of a per-follower coupon (the same code when asked again)", tag: 'commerce', body: issueCodeBody, status: 201 },
  { method: 'get', path: '/api/exports/orders.csv', summary: 'Orders as CSV (times in the time zone, amounts in major units with their currency, coupon); creators: their own courses', tag: 'commerce', query: exportQuery },
  { method: 'get', path: '/api/exports/revenue.csv', summary: 'Revenue per course, channel or coupon and currency (never summed across currencies) as CSV', tag: 'commerce', query: revenueQuery },
  { method: 'get', path: '/api/exports/learners.csv', summary: 'Learners per course with progress as CSV', tag: 'commerce', query: exportQuery },
  { method: 'get', path: '/api/followers', summary: 'Search followers: paged, filtered by platform, audience and language, sorted; each with paid orders and spend per currency', tag: 'followers', query: followerSearchQuery, isAdminOnly: true },
  { method: 'get', path: '/api/followers/{id}/persona', summary: "A follower's persona", tag: 'followers' },
  {
    method: 'get', path: '/api/inbox', tag: 'inbox', query: inboxQuery,
    summary: 'Hand-offs to a person (creators: about their own courses): waiting ones first with waitingSeconds, then by latest activity',
  },
  { method: 'get', path: '/api/inbox/{id}', summary: "One hand-off: the follower's persona in short and the messages (follower texts and staff replies) in time order", tag: 'inbox' },
  {
    method: 'post', path: '/api/inbox/{id}/replies', tag: 'inbox', body: inboxReplyBody, status: 201,
    summary: "Reply in the follower's chat through the bot of their platform; idempotent on clientKey (a retry answers 200 with the same message); 409 when closed, 503 when that bot does not run in this process or the send failed",
  },
  { method: 'post', path: '/api/inbox/{id}/close', summary: 'Close the hand-off: the bot answers the follower again and marketing may reach them; the follower is told', tag: 'inbox' },
  { method: 'get', path: '/api/followers/{id}/timeline', summary: "A follower's events, newest first, with what was said (payload) and the course's titles", tag: 'followers', query: timelineQuery, isAdminOnly: true },
  { method: 'get', path: '/api/followers/{id}/export', summary: "Export one follower's data (PIPL/GDPR)", tag: 'followers', isAdminOnly: true },
  { method: 'delete', path: '/api/followers/{id}', summary: "Delete one follower's data (PIPL/GDPR)", tag: 'followers', status: 204, isAdminOnly: true },
  { method: 'get', path: '/api/dashboard', summary: 'Followers over time, a true funnel (each step a subset of the one before, with the rate from the step before), revenue per currency by day and course, conversion by platform and language, top courses; creators: only followers and figures of their own courses', tag: 'dashboard', query: dashboardQuery },
  { method: 'get', path: '/api/settings', summary: 'Consent texts, channel status with details', tag: 'settings', isAdminOnly: true },
  { method: 'get', path: '/api/guard-settings', summary: 'Frequency caps and quiet hours', tag: 'settings', isAdminOnly: true },
  { method: 'put', path: '/api/guard-settings', summary: 'Set frequency caps and quiet hours (audited)', tag: 'settings', body: guardBody, isAdminOnly: true },
  { method: 'get', path: '/api/audit-log', summary: 'Who changed what, newest first; filter by subject', tag: 'settings', query: auditLogQuery, isAdminOnly: true },
  { method: 'get', path: '/api/risk/cases', summary: 'Risk review queue: flagged (then blocked, cleared) followers with score, reasons and held orders', tag: 'risk', query: riskCasesQuery, isAdminOnly: true },
  { method: 'post', path: '/api/risk/cases/{followerId}/clear', summary: 'Clear a flagged follower: back in broadcasts and experiments, held checkouts released (audited)', tag: 'risk', isAdminOnly: true },
  { method: 'post', path: '/api/risk/cases/{followerId}/confirm', summary: 'Confirm a flagged follower as fraud: blocked, no replies or sends, held orders cancelled (audited)', tag: 'risk', isAdminOnly: true },
  { method: 'get', path: '/api/risk/settings', summary: 'Risk thresholds in force, and the defaults', tag: 'risk', isAdminOnly: true },
  { method: 'put', path: '/api/risk/settings', summary: 'Set the risk thresholds (audited, applied to the scorer at once; other processes within 30 s)', tag: 'risk', body: riskSettingsSchema, isAdminOnly: true },
  { method: 'get', path: '/api/referrals/program', summary: "A creator's referral programme (reward coupon for referring followers, refund window before commission is payable); null when not set", tag: 'referrals', query: creatorQuery },
  { method: 'put', path: '/api/referrals/program', summary: "Set a creator's referral programme (audited); admins name the creator with ?creatorId", tag: 'referrals', query: creatorQuery, body: referralProgramSchema },
  { method: 'get', path: '/api/referrals/distributors', summary: 'Approved and revoked distributors with their commission rate and how many followers they referred; creators: their own', tag: 'referrals', query: creatorQuery },
  { method: 'post', path: '/api/referrals/distributors', summary: 'Approve a follower as distributor with a commission rate in basis points, or revoke them (audited)', tag: 'referrals', query: creatorQuery, body: distributorSchema, status: 201 },
  { method: 'get', path: '/api/referrals/commissions', summary: 'The commission ledger: pending on payment, payable after the refund window, cancelled by a refund, paid out', tag: 'referrals', query: commissionsQuery },
  { method: 'get', path: '/api/referrals/payouts', summary: 'Payout report per distributor and currency (never summed across currencies): pending, payable, paid out, cancelled', tag: 'referrals', query: creatorQuery },
  { method: 'post', path: '/api/referrals/payouts', summary: "Mark a distributor's payable commission in one currency paid out (audited with the total and the reference); 409 when nothing is payable", tag: 'referrals', query: creatorQuery, body: markPaidOutBody },
  { method: 'put', path: '/api/settings/consent-texts', summary: 'Set consent texts', tag: 'settings', body: consentTextsBody, isAdminOnly: true },
  { method: 'post', path: '/api/events', summary: 'Record a batch of up to 500 events (all or none; a result per item; redelivered externalIds are duplicates)', tag: 'events', status: 201 },
  { method: 'get', path: '/api/broadcasts', summary: 'Broadcasts, newest first, each with its progress (creators: their own)', tag: 'campaigns', query: broadcastListQuery },
  { method: 'post', path: '/api/broadcasts', summary: 'Compose, target and schedule a broadcast; its audience is planned into the outbox at once', tag: 'campaigns', body: broadcastInputSchema, status: 201 },
  { method: 'get', path: '/api/broadcasts/{id}', summary: 'One broadcast with its live progress: sent, delivered, failed, skipped by reason, held by reason', tag: 'campaigns' },
  { method: 'post', path: '/api/broadcasts/{id}/pause', summary: 'Pause a broadcast', tag: 'campaigns' },
  { method: 'post', path: '/api/broadcasts/{id}/resume', summary: 'Resume a paused broadcast', tag: 'campaigns' },
  { method: 'post', path: '/api/broadcasts/{id}/cancel', summary: 'Cancel a broadcast: what is still queued is not sent', tag: 'campaigns' },
  { method: 'get', path: '/api/broadcasts/{id}/results', summary: "A broadcast's results per variant (sent, conversions, rate, credible interval, chance of being best), per picked course, and its incremental effect against the holdout", tag: 'campaigns' },
  { method: 'get', path: '/api/recommender-experiments', summary: 'Recommender experiments, newest first (creators: their own), each variant described in Chinese and English', tag: 'campaigns', query: recommenderExperimentListQuery },
  { method: 'post', path: '/api/recommender-experiments', summary: 'Create a recommender experiment (a draft): 2–4 variants, each a ranker, diversity, generators and blend weights with a traffic share; audited', tag: 'campaigns', body: recommenderExperimentInputSchema, status: 201 },
  { method: 'get', path: '/api/recommender-experiments/{id}', summary: 'One recommender experiment', tag: 'campaigns' },
  { method: 'post', path: '/api/recommender-experiments/{id}/start', summary: 'Start a draft: consenting followers get their sticky variant in every channel (one experiment runs at a time; audited)', tag: 'campaigns' },
  { method: 'post', path: '/api/recommender-experiments/{id}/stop', summary: 'Stop a running experiment: everyone is served production again; results stay (audited)', tag: 'campaigns' },
  { method: 'get', path: '/api/recommender-experiments/{id}/results', summary: "A recommender experiment's results per variant, as a broadcast's (followers shown, attributed conversions, rate, credible interval, chance of being best, z-test against A), plus clicks, checkouts, purchases and revenue per currency", tag: 'campaigns' },
  { method: 'post', path: '/api/segments/preview', summary: 'How many followers a segment reaches now, how many it cannot reach and why, a sample; with pick, the courses each follower would be offered', tag: 'campaigns', body: previewBody },
  { method: 'get', path: '/api/segments', summary: 'Behaviour segments and purchase association rules of the newest recommender model', tag: 'campaigns', isAdminOnly: true },
  { method: 'get', path: '/api/retargeting-rules', summary: 'Retargeting rules', tag: 'campaigns', isAdminOnly: true },
  { method: 'post', path: '/api/retargeting-rules', summary: 'Create a retargeting rule', tag: 'campaigns', body: retargetingRuleInputSchema, status: 201, isAdminOnly: true },
  { method: 'get', path: '/api/retargeting-rules/{id}', summary: 'One retargeting rule', tag: 'campaigns', isAdminOnly: true },
  { method: 'put', path: '/api/retargeting-rules/{id}', summary: 'Replace a retargeting rule', tag: 'campaigns', body: retargetingRuleInputSchema, isAdminOnly: true },
  { method: 'patch', path: '/api/retargeting-rules/{id}', summary: 'Change some fields of a retargeting rule (e.g. isEnabled)', tag: 'campaigns', isAdminOnly: true },
  { method: 'delete', path: '/api/retargeting-rules/{id}', summary: 'Delete a retargeting rule', tag: 'campaigns', status: 204, isAdminOnly: true },
  { method: 'get', path: '/api/retargeting-rules/{id}/results', summary: "A retargeting rule's results per variant", tag: 'campaigns', isAdminOnly: true },
  { method: 'get', path: '/api/schedules', summary: 'Scheduled jobs with their cron, time zone, next runs and last run', tag: 'schedules', isAdminOnly: true },
  { method: 'patch', path: '/api/schedules/{name}', summary: "Change a job's cron, time zone or enabled state (audited)", tag: 'schedules', body: schedulePatchBody, isAdminOnly: true },
  { method: 'post', path: '/api/schedules/{name}/run', summary: 'Run a job now', tag: 'schedules', isAdminOnly: true },
  { method: 'get', path: '/api/schedules/{name}/runs', summary: "A job's run history, newest first", tag: 'schedules', query: scheduleRunsQuery, isAdminOnly: true },
  { method: 'get', path: '/api/wechat/login-qr', summary: "The WeChat bot's login state and, while it waits for a scan, the QR code", tag: 'settings', isAdminOnly: true },
];

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
};

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** The OpenAPI 3.1 document of the console API, with request schemas derived from the zod schemas the routes validate with. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: m[1] === 'name' ? { type: 'string' } : { type: 'string', format: 'uuid' } }));
    const queryParams = op.query
      ? Object.entries(op.query.shape).map(([name, schema]) => ({ name, in: 'query', required: !(schema as z.ZodType).safeParse(undefined).success, schema: jsonSchema(schema as z.ZodType) }))
      : [];
    const status = String(op.status ?? 200);
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary + (op.isAdminOnly ? ' (admins only)' : ''),
      tags: [op.tag],
      ...(op.isPublic ? { security: [] } : {}),
      parameters: [...pathParams, ...queryParams],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      responses: {
        [status]: status === '204' ? { description: 'Done' } : { description: 'OK', content: { 'application/json': { schema: {} } } },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Zhiliao admin API', version: '0.1.0', description: 'Console API. Lists take ?page&pageSize and answer {items,page,pageSize,total}. Errors are {error:{code,message,details}}. Cookie sessions send X-CSRF-Token on every change.' },
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'zl_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_API_TOKEN or an API token from POST /api/tokens' },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}

/** `GET /openapi.json`, public so tools can read it. */
export function createOpenApiRouter(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}
