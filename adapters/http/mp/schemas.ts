import { z } from 'zod';
import { CURRENCIES, ORDER_STATUSES } from '../../../core/index.js';

/*
 * The shapes of the mini-program API, in one place: routes validate with them and the OpenAPI
 * document is derived from them (z.toJSONSchema), so the description cannot drift from the code.
 */

export const MP_EVENT_KINDS = ['view', 'click', 'share', 'like'] as const;
export const MAX_MP_EVENT_BATCH = 50;
export const MP_LOCALES = ['zh-CN', 'en'] as const;

export const loginRequest = z.object({
  code: z.string().trim().min(1).max(128).meta({ description: 'The code from wx.login()' }),
  displayName: z.string().trim().min(1).max(64).optional(),
  locale: z.enum(MP_LOCALES).optional(),
  deviceId: z.string().trim().min(8).max(128).optional().meta({ description: 'A stable id of the device (e.g. a hash the mini-program keeps in storage); many accounts behind one device are a risk signal' }),
  scene: z.string().trim().max(32).optional().meta({ description: "The launch `scene` of a shared page (`pages/index/index?scene=<code>`): the referrer's code; a new follower is attributed to them once" }),
});

export const money = z.object({ amountMinor: z.number().int().nonnegative(), currency: z.enum(CURRENCIES) }).meta({ id: 'Money' });

export const loginResponse = z
  .object({
    token: z.string().meta({ description: 'Send as `Authorization: Bearer <token>`' }),
    expiresAt: z.iso.datetime(),
    follower: z.object({ id: z.uuid(), isNew: z.boolean(), locale: z.enum(MP_LOCALES) }),
    referral: z
      .enum(['attributed', 'unknown_code', 'self', 'linked_accounts', 'not_new', 'already_referred'])
      .optional()
      .meta({ description: 'With a `scene`: whether the follower was attributed to its referrer, or why not' }),
  })
  .meta({ id: 'LoginResponse' });

export const myReferral = z
  .object({
    code: z.string().meta({ description: "The follower's own referral code, the same every time" }),
    sharePath: z.string().meta({ description: 'The page path to share (`onShareAppMessage({ path })`)' }),
    scene: z.string().meta({ description: 'The `scene` of a mini-program code (wxacode.getUnlimited) for the same referral' }),
  })
  .meta({ id: 'MyReferral' });

export const courseDto = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    price: money,
    coverUrl: z.string().nullable(),
    teacher: z.string().meta({ description: 'Empty when not given' }),
  })
  .meta({ id: 'Course' });

export const coursePage = z
  .object({ items: z.array(courseDto), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() })
  .meta({ id: 'CoursePage' });

export const recommendationList = z
  .object({
    items: z.array(
      z.object({
        course: courseDto,
        score: z.number(),
        reason: z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }),
        reasonText: z.string().meta({ description: 'Why this course, in words, in the locale of the answer' }),
        source: z.string(),
      }),
    ),
  })
  .meta({ id: 'RecommendationList' });

export const localeQuery = z.object({ locale: z.enum(MP_LOCALES).default('zh-CN') });
/** Without `locale`, recommendations answer in the follower's own language. */
export const recommendationsQuery = z.object({ locale: z.enum(MP_LOCALES).optional(), limit: z.coerce.number().int().min(1).max(20).default(6) });

export const mpEvent = z.object({
  kind: z.enum(MP_EVENT_KINDS),
  clientEventId: z.string().regex(/^[\w.:-]{1,100}$/, 'use 1–100 letters, digits, _ . : -').meta({ description: 'Unique per follower; resending the same id is a no-op' }),
  courseId: z.uuid().optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  payload: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
});

export const eventsRequest = z.object({ events: z.array(mpEvent).min(1).max(MAX_MP_EVENT_BATCH) });

export const eventsResponse = z
  .object({
    recorded: z.number().int(),
    duplicates: z.number().int(),
    results: z.array(z.object({ clientEventId: z.string(), status: z.enum(['recorded', 'duplicate']) })),
  })
  .meta({ id: 'EventsResult' });

export const createOrderRequest = z.object({
  courseId: z.uuid(),
  couponCode: z.string().trim().toUpperCase().regex(/^[A-Z0-9_-]{3,32}$/, 'use the 3–32 letters, digits, _ or - of the coupon').optional().meta({ description: 'A coupon code; refused codes answer 409 with details.reason and the sentence in details.zh / details.en' }),
});

export const cancelOrderRequest = z.object({ reason: z.enum(['cancelled', 'payment_failed']).default('cancelled') });

export const sandboxPayRequest = z.object({ orderId: z.uuid() });

export const orderDto = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    amount: money,
    /** The price before a coupon or limited-time price; null when none applied. */
    originalAmount: money.nullable(),
    provider: z.string(),
    status: z.enum(ORDER_STATUSES),
    createdAt: z.iso.datetime(),
    paidAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Order' });

export const requestPaymentParams = z
  .object({
    appId: z.string(),
    timeStamp: z.string(),
    nonceStr: z.string(),
    package: z.string().meta({ description: '`prepay_id=…`' }),
    signType: z.literal('RSA'),
    paySign: z.string(),
  })
  .meta({ id: 'RequestPaymentParams', description: 'Pass to wx.requestPayment() as is' });

export const virtualPaymentParams = z
  .object({
    signData: z.string().meta({ description: 'JSON string: offerId, buyQuantity, env, currencyType, productId (the course slug), goodsPrice (fen), outTradeNo, attach' }),
    paySig: z.string(),
    signature: z.string(),
    mode: z.literal('short_series_goods'),
  })
  .meta({ id: 'VirtualPaymentParams', description: 'WeChat virtual payment: pass to wx.requestVirtualPayment() as is' });

export const createOrderResponse = z
  .object({ order: orderDto, payment: z.union([requestPaymentParams, virtualPaymentParams]) })
  .meta({ id: 'CreatedOrder', description: 'payment is RequestPaymentParams with WeChat Pay, VirtualPaymentParams with WeChat virtual payment' });

export const xpayNotifyAnswer = z.object({ ErrCode: z.number().int(), ErrMsg: z.string() }).meta({ id: 'XpayNotifyAnswer', description: 'ErrCode 0 acknowledges; anything else is retried by WeChat' });

export const heldOrderResponse = z
  .object({ order: orderDto, review: z.object({ message: z.string().meta({ description: "In the follower's language" }) }) })
  .meta({ id: 'HeldOrder', description: 'The follower is under risk review: the order is recorded, no prepay is issued until an admin clears them' });

export const errorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .meta({ id: 'Error' });

export const payNotifyAnswer = z.object({ code: z.literal('FAIL'), message: z.string() }).meta({ id: 'PayNotifyFailure' });

const lessonRef = z.object({ id: z.uuid(), title: z.string() });

/** How far the learner is in one course; shared by the list and the detail. */
const progressSummary = {
  course: courseDto,
  enrolledAt: z.iso.datetime(),
  percent: z.number().int().min(0).max(100),
  completedLessons: z.number().int(),
  totalLessons: z.number().int(),
  nextLesson: lessonRef.nullable(),
  nextUnlockAt: z.iso.datetime().nullable(),
};

export const myCourseList = z
  .object({
    items: z.array(
      z.object({
        ...progressSummary,
        hasCertificate: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'MyCourseList' });

export const myLessonDto = z.object({
  id: z.uuid(),
  number: z.number().int().min(1),
  title: z.string(),
  estimatedMinutes: z.number().int().nullable(),
  isFreePreview: z.boolean(),
  isUnlocked: z.boolean(),
  unlocksAt: z.iso.datetime(),
  isCompleted: z.boolean(),
  url: z.string().nullable().meta({ description: 'Signed link that opens the lesson (web-view); null while locked' }),
});

export const myCourseProgress = z
  .object({
    ...progressSummary,
    streakDays: z.number().int(),
    chapters: z.array(z.object({ id: z.uuid(), title: z.string(), lessons: z.array(myLessonDto) })),
    certificate: z.object({ title: z.string(), text: z.string(), completedAt: z.iso.datetime() }).nullable(),
  })
  .meta({ id: 'MyCourseProgress' });

export const lessonProgressRequest = z.object({ status: z.literal('completed').meta({ description: 'The learner finished the lesson' }) }).meta({ id: 'LessonProgressRequest' });

export const lessonProgressResponse = z.object({ isNew: z.boolean(), progress: myCourseProgress }).meta({ id: 'LessonProgressResult' });
