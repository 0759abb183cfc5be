import { z } from 'zod';
import {
  cancelOrderRequest, coursePage, courseDto, createOrderRequest, sandboxPayRequest, createOrderResponse, heldOrderResponse, errorBody, eventsRequest, eventsResponse, loginRequest, loginResponse,
  MAX_MP_EVENT_BATCH,
  lessonProgressRequest, lessonProgressResponse, money, myCourseList, myCourseProgress, myReferral, orderDto, payNotifyAnswer, recommendationList, requestPaymentParams,
  virtualPaymentParams, xpayNotifyAnswer,
} from './schemas.js';

type JsonObject = Record<string, unknown>;

const named = {
  LoginRequest: loginRequest, LoginResponse: loginResponse, Course: courseDto, CoursePage: coursePage, RecommendationList: recommendationList,
  EventsRequest: eventsRequest, EventsResult: eventsResponse, CreateOrderRequest: createOrderRequest,
  CancelOrderRequest: cancelOrderRequest, SandboxPayRequest: sandboxPayRequest, CreatedOrder: createOrderResponse, HeldOrder: heldOrderResponse, Order: orderDto,
  Error: errorBody, PayNotifyFailure: payNotifyAnswer, Money: money, RequestPaymentParams: requestPaymentParams, VirtualPaymentParams: virtualPaymentParams, XpayNotifyAnswer: xpayNotifyAnswer,
  MyCourseList: myCourseList, MyCourseProgress: myCourseProgress, LessonProgressRequest: lessonProgressRequest, LessonProgressResult: lessonProgressResponse,
  MyReferral: myReferral,
};

/** Every named schema as OpenAPI 3.0 components, derived from the zod schemas the routes use. */
function components(): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  // `$id` is JSON Schema, not OpenAPI 3.0; components are addressed by their key.
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => {
    const { $id: _id, ...rest } = schema as JsonObject;
    return [id, rest];
  }));
}

const ref = (id: keyof typeof named) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: keyof typeof named, description: string) => ({ description, content: { 'application/json': { schema: ref(id) } } });
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), json('Error', 'See error.code and error.message')]));
const query = (name: string, schema: JsonObject, description: string) => ({ name, in: 'query', required: false, schema, description });
const locale = query('locale', { type: 'string', enum: ['zh-CN', 'en'], default: 'zh-CN' }, 'Language of titles and descriptions');
const session = [{ mpSession: [] }];

/**
 * The OpenAPI 3.0 description of /mp, served at /mp/openapi.json.
 *
 * @example
 * const doc = mpOpenApiDocument('/mp');
 */
export function mpOpenApiDocument(basePath = '/mp'): JsonObject {
  return {
    openapi: '3.0.3',
    info: { title: 'Zhiliao mini-program API', version: '1.0.0', description: 'Login, catalogue, recommendations, tracking, orders, WeChat Pay notifications and learning (my courses, progress) for the WeChat mini-program.' },
    servers: [{ url: basePath }],
    components: {
      schemas: components(),
      securitySchemes: { mpSession: { type: 'http', scheme: 'bearer', description: 'The token from POST /login' } },
    },
    paths: {
      '/login': {
        post: {
          summary: 'Exchange a wx.login code for a session',
          requestBody: { required: true, content: { 'application/json': { schema: ref('LoginRequest') } } },
          responses: { '200': json('LoginResponse', 'Logged in'), '201': json('LoginResponse', 'Logged in; follower created'), ...errors(400, 401, 502, 503) },
        },
      },
      '/courses': {
        get: {
          summary: 'Courses on sale, paged',
          parameters: [
            query('page', { type: 'integer', minimum: 1, default: 1 }, 'Page number'),
            query('pageSize', { type: 'integer', minimum: 1, maximum: 100, default: 20 }, 'Items per page'),
            query('q', { type: 'string', maxLength: 100 }, 'Search in titles and descriptions'),
            query('tag', { type: 'string', maxLength: 40 }, 'Only courses with this tag'),
            locale,
          ],
          responses: { '200': json('CoursePage', 'A page of courses'), ...errors(400) },
        },
      },
      '/courses/{id}': {
        get: {
          summary: 'One course on sale',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, locale],
          responses: { '200': json('Course', 'The course'), ...errors(404) },
        },
      },
      '/recommendations': {
        get: {
          summary: 'Courses recommended to the session follower, with reasons',
          security: session,
          parameters: [query('limit', { type: 'integer', minimum: 1, maximum: 20, default: 6 }, 'How many'), query('locale', { type: 'string', enum: ['zh-CN', 'en'] }, "Language of titles and reasons; the follower's own language when absent")],
          responses: { '200': json('RecommendationList', 'Recommendations'), ...errors(400, 401) },
        },
      },
      '/events': {
        post: {
          summary: `Track up to ${MAX_MP_EVENT_BATCH} view/click/share/like events`,
          security: session,
          requestBody: { required: true, content: { 'application/json': { schema: ref('EventsRequest') } } },
          responses: { '200': json('EventsResult', 'All duplicates'), '201': json('EventsResult', 'Recorded'), ...errors(400, 401, 413, 422, 429) },
        },
      },
      '/orders': {
        post: {
          summary: 'Open an order and a WeChat Pay JSAPI prepay; answer the wx.requestPayment parameters',
          security: session,
          requestBody: { required: true, content: { 'application/json': { schema: ref('CreateOrderRequest') } } },
          responses: { '200': json('CreatedOrder', 'Pending order reused'), '201': json('CreatedOrder', 'Order created'), '202': json('HeldOrder', 'Held for risk review: no prepay'), ...errors(400, 401, 404, 409, 502, 503) },
        },
      },
      '/orders/{id}/cancel': {
        post: {
          summary: 'The payment failed or was abandoned: cancel a pending order and free its coupon',
          security: session,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: { required: false, content: { 'application/json': { schema: ref('CancelOrderRequest') } } },
          responses: { '200': json('Order', 'Cancelled (again: unchanged)'), ...errors(400, 401, 404, 409) },
        },
      },
      '/sandbox/pay': {
        post: {
          summary: 'Sandbox only (never in production): the payer pays; the sandbox sends the signed WeChat Pay notification to /mp/pay/notify',
          security: session,
          requestBody: { required: true, content: { 'application/json': { schema: ref('SandboxPayRequest') } } },
          responses: { '200': json('Order', 'The order after the notification'), ...errors(400, 401, 404, 502) },
        },
      },
      '/orders/{id}': {
        get: {
          summary: 'One of the session follower\'s orders',
          security: session,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { '200': json('Order', 'The order'), ...errors(401, 404) },
        },
      },
      '/my/referral': {
        get: {
          summary: "The follower's own referral code and the page path to share; a new follower who logs in with its `scene` is attributed to them",
          security: session,
          responses: { '200': json('MyReferral', 'My referral code'), ...errors(401) },
        },
      },
      '/my/courses': {
        get: {
          summary: "The session follower's courses (bought and not refunded), with progress",
          security: session,
          parameters: [locale],
          responses: { '200': json('MyCourseList', 'My courses'), ...errors(401) },
        },
      },
      '/my/courses/{id}': {
        get: {
          summary: 'One of my courses: chapters and lessons with open or locked (drip, cohort), signed links to open lessons, streak, certificate at 100 %',
          security: session,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, locale],
          responses: { '200': json('MyCourseProgress', 'Progress'), ...errors(400, 401, 403, 404) },
        },
      },
      '/my/lessons/{id}/progress': {
        post: {
          summary: 'Mark a lesson completed; answers the course progress (repeating it changes nothing)',
          security: session,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, locale],
          requestBody: { required: true, content: { 'application/json': { schema: ref('LessonProgressRequest') } } },
          responses: { '200': json('LessonProgressResult', 'Already completed'), '201': json('LessonProgressResult', 'Completed'), ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/pay/notify': {
        post: {
          summary: 'WeChat Pay API v3 payment notification (called by WeChat Pay)',
          parameters: ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'].map((name) => ({ name, in: 'header', required: true, schema: { type: 'string' } })),
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: {
            '204': { description: 'Accepted (also for a redelivery of an already processed payment)' },
            ...Object.fromEntries([400, 401, 409, 500, 503].map((c) => [String(c), json('PayNotifyFailure', 'Refused; nothing changed')])),
          },
        },
      },
      '/xpay/notify': {
        get: {
          summary: "WeChat's check of the message-push URL (called by WeChat): echoes echostr when the signature is right",
          parameters: ['signature', 'timestamp', 'nonce', 'echostr'].map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } })),
          responses: { '200': { description: 'echostr', content: { 'text/plain': { schema: { type: 'string' } } } }, '401': json('XpayNotifyAnswer', 'Bad signature') },
        },
        post: {
          summary: 'WeChat virtual payment push (xpay_goods_deliver_notify; called by WeChat through message push in JSON mode)',
          parameters: ['signature', 'timestamp', 'nonce'].map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } })),
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: Object.fromEntries([200, 400, 401, 409, 500, 503].map((c) => [String(c), json('XpayNotifyAnswer', c === 200 ? 'Acknowledged (also a redelivery)' : 'Refused; nothing changed')])),
        },
      },
    },
  };
}
