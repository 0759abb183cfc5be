import { courseTitle, formatMoney, type Course } from '../catalog/course.js';
import { ZhiliaoError } from '../errors.js';
import { createPendingOrder, priceForFollower } from '../orders/create-pending-order.js';
import { couponRefusalText, CouponRefusedError } from '../commerce/coupon.js';
import { localTime } from '../commerce/exports.js';
import type { CouponQuote } from '../commerce/quote-coupon.js';
import { riskText } from '../risk/risk-text.js';
import { matchCourseReference, type Budget } from '../understanding/index.js';
import { courseListReply, courseTitlesOf, onSaleCourses, pickACourseReplies, recommendReplies, resolveCourse } from './catalogue-replies.js';
import { displayPrice } from './course-cards.js';
import { budgetLimit, isCheaper, isWithin } from './course-prices.js';
import { menuButtons, recordDerivedEvent, textReply, type DialogTurn } from './dialog-turn.js';
import { ACTIONS, type CourseChoice } from './intent.js';
import type { Reply } from './reply.js';

/**
 * A course named by title opens the confirmation card only when the match is this sure (share of
 * the title's character grams found in the message); a weaker match is asked about with a list.
 */
export const NAMED_COURSE_MIN_SCORE = 0.75;

const CHEAPER_PICKS = 3;
const MAX_WHAT_YOU_GET = 120;

/** Whether a choice is explicit enough to offer the course for purchase. */
function isExplicit(choice: CourseChoice): boolean {
  return choice.kind === 'tapped' || choice.kind === 'from_list' || choice.kind === 'in_focus' || (choice.kind === 'named' && choice.score >= NAMED_COURSE_MIN_SCORE);
}

/** The course an explicit choice names; a title in a command (`/buy python`) only when the match is sure. */
async function explicitCourse(turn: DialogTurn, choice: CourseChoice): Promise<Course | null | undefined> {
  if (choice.kind === 'unresolved') {
    if (!choice.query) return undefined;
    const courses = await onSaleCourses(turn);
    const match = matchCourseReference(choice.query, courseTitlesOf(courses));
    return match && match.score >= NAMED_COURSE_MIN_SCORE ? courses.find((c) => c.id === match.courseId) : undefined;
  }
  return isExplicit(choice) ? resolveCourse(turn, choice) : undefined;
}

/** Owned, off-sale or vanished courses are explained instead of sold; undefined when the course can be sold. */
async function refusal(turn: DialogTurn, course: Course | null): Promise<Reply[] | undefined> {
  if (course === null) return [textReply(turn.text.courseNotFound, menuButtons(turn))];
  const title = courseTitle(course, turn.locale);
  if (course.status !== 'on_sale') return [textReply(turn.text.notOnSale(title), menuButtons(turn))];
  if ((await turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id)).has(course.id)) return [textReply(turn.text.alreadyOwned(title), menuButtons(turn))];
  return undefined;
}

/**
 * A wish to buy: the one-tap confirmation card (title, price in this chat's currency, what they get,
 * Confirm / Cancel) for a course the follower tapped, chose from the list just shown, pointed at or
 * named unmistakably; otherwise the question which course, with a list to choose from. Never an
 * invoice: only Confirm opens one ({@link buyReplies}).
 */
export async function confirmPurchaseReplies(turn: DialogTurn, choice: CourseChoice, couponCode?: string): Promise<Reply[]> {
  const course = await explicitCourse(turn, choice);
  if (course === undefined) {
    turn.change.pending = { kind: 'choose_course', purpose: 'buy' };
    return pickACourseReplies(turn, turn.text.whichCourseToBuy, choice);
  }
  const refused = await refusal(turn, course);
  if (refused || !course) return refused ?? [];
  const description = turn.locale === 'en' ? course.descriptionEn : course.descriptionZh;
  const what = description.length > MAX_WHAT_YOU_GET ? `${description.slice(0, MAX_WHAT_YOU_GET - 1)}…` : description;
  turn.change.focusCourseId = course.id;
  const offer = await offerFor(turn, course, couponCode);
  const couponRefused = offer.refusal ? [textReply(offer.refusal)] : [];
  const code = offer.quote?.coupon.codeKind === 'automatic' ? undefined : offer.quote?.code;
  turn.change.pending = { kind: 'confirm_purchase', courseId: course.id, ...(code ? { couponCode: code } : {}) };
  const title = courseTitle(course, turn.locale);
  const price = formatMoney(offer.quote?.price ?? displayPrice(course, turn.isStarsPlatform));
  const text = offer.quote ? turn.text.confirmDiscountedPurchase(title, formatMoney(offer.quote.original), offer.label, price, what) : turn.text.confirmPurchase(title, price, what);
  return [
    ...couponRefused,
    textReply(text, [
      [{ label: turn.text.buttons.confirmBuy(price), action: code ? ACTIONS.confirmBuyWithCoupon(course.id, code) : ACTIONS.confirmBuy(course.id) }],
      [{ label: turn.text.buttons.cancel, action: ACTIONS.cancelBuy }],
    ]),
  ];
}

/**
 * The price this follower would pay in this chat: a typed coupon's (or the sentence refusing it),
 * else a limited-time price with its end in the follower's time zone, else none (the list price).
 */
async function offerFor(turn: DialogTurn, course: Course, couponCode: string | undefined): Promise<{ quote?: Extract<CouponQuote, { ok: true }>; label: string; refusal?: string }> {
  const provider = turn.isStarsPlatform ? 'telegram_stars' : 'wechat_pay';
  const { quote } = await priceForFollower(turn.deps.repos, { course, followerId: turn.follower.id, provider, now: turn.deps.clock.now(), ...(couponCode ? { couponCode } : {}) });
  if (!quote) return { label: '' };
  if (!quote.ok) {
    const fallback = couponCode ? await offerFor(turn, course, undefined) : { label: '' };
    return { ...fallback, refusal: couponRefusalText(quote.reason, quote.code, turn.locale) };
  }
  if (quote.coupon.codeKind !== 'automatic') return { quote, label: turn.text.withCoupon(quote.code) };
  const endsAt = localTime(quote.coupon.validUntil, turn.follower.timeZone)?.slice(0, 16) ?? '';
  return { quote, label: turn.text.limitedTimePrice(endsAt) };
}

/** Cancel on the confirmation card (or "no" under it): nothing is opened. */
export function cancelPurchaseReplies(turn: DialogTurn): Reply[] {
  turn.change.pending = null;
  return [textReply(turn.text.purchaseCancelled, menuButtons(turn))];
}

/**
 * Confirm on the confirmation card: an invoice when this chat takes payment (an order is opened, or
 * the open one reused), a link to where it is sold otherwise. Owned and unavailable courses are
 * explained instead.
 */
export async function buyReplies(turn: DialogTurn, courseId: string, couponCode?: string): Promise<Reply[]> {
  const course = await turn.deps.repos.courses.findById(courseId);
  const refused = await refusal(turn, course);
  if (refused || !course) return refused ?? [];
  const title = courseTitle(course, turn.locale);
  turn.change.focusCourseId = course.id;
  const provider = turn.deps.checkoutProvider;
  if (!provider) {
    const url = turn.deps.courseUrl?.(course);
    return [url ? { type: 'link', title: turn.text.buyElsewhere(title), description: turn.text.invoiceDescription(title), url } : textReply(turn.text.cannotSellHere(title))];
  }
  try {
    const { order } = await createPendingOrder(turn.deps, { followerId: turn.follower.id, courseId: course.id, provider, ...(couponCode ? { couponCode } : {}) });
    await recordDerivedEvent(turn, `checkout:${course.id}`, { kind: 'checkout', courseId: course.id, payload: { orderId: order.id } });
    // A follower under risk review gets no invoice: the order waits for an admin's verdict.
    const risk = turn.deps.recordEventsDeps.risk;
    if (risk?.isUnderReview(turn.follower.id)) {
      await risk.holdCheckout(order.id, turn.follower.id);
      turn.change.pending = null;
      return [textReply(riskText(turn.locale).orderUnderReview, menuButtons(turn))];
    }
    return [
      {
        type: 'invoice',
        courseId: course.id,
        orderId: order.id,
        title: title.slice(0, 32),
        description: turn.text.invoiceDescription(title).slice(0, 255),
        amount: { amountMinor: order.amountMinor, currency: order.currency },
      },
    ];
  } catch (error) {
    // A coupon that ran out between the card and Confirm: said so, with the card at the price now.
    if (error instanceof CouponRefusedError) return confirmPurchaseReplies(turn, { kind: 'tapped', courseId: course.id }, couponCode);
    // Expected refusals (owned meanwhile, taken off sale, no Stars price) become a sentence, not a crash.
    if (error instanceof ZhiliaoError) {
      const sentence = error.code === 'already_owned' ? turn.text.alreadyOwned(title) : error.code === 'course_not_on_sale' ? turn.text.notOnSale(title) : turn.text.cannotSellHere(title);
      return [textReply(sentence, menuButtons(turn))];
    }
    throw error;
  }
}

/**
 * "Too expensive": cheaper courses, never pricier ones. Against the course in view, courses that
 * cost less (those sharing its topics first); with a budget, courses within it; with neither, the
 * most affordable courses on the topics named (or of the catalogue). Owned courses are left out.
 */
export async function cheaperReplies(turn: DialogTurn, choice: CourseChoice | undefined, tags: readonly string[], budget?: Budget): Promise<Reply[]> {
  const reference = choice ? await resolveCourse(turn, choice) : undefined;
  const limit = budget ? budgetLimit(budget, turn.isStarsPlatform) : undefined;
  const [courses, owned] = await Promise.all([onSaleCourses(turn), turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id)]);
  const topics = new Set(reference ? reference.tags : tags);
  const price = (c: Course) => displayPrice(c, turn.isStarsPlatform).amountMinor;
  const shared = (c: Course) => c.tags.filter((t) => topics.has(t)).length;
  const cheaper = courses
    .filter((c) => !owned.has(c.id) && c.id !== reference?.id)
    .filter((c) => (reference ? isCheaper(c, reference, turn.isStarsPlatform) : true))
    .filter((c) => (limit ? isWithin(c, limit) : true))
    .filter((c) => (reference || limit || topics.size === 0 ? true : shared(c) > 0))
    .sort((a, b) => shared(b) - shared(a) || price(a) - price(b) || a.slug.localeCompare(b.slug))
    .slice(0, CHEAPER_PICKS);
  if (reference) turn.change.focusCourseId = reference.id;
  if (cheaper.length === 0) {
    if (reference) return [textReply(turn.text.noCheaper(courseTitle(reference, turn.locale)), menuButtons(turn))];
    if (limit) return [textReply(turn.text.nothingWithinBudget(formatMoney(limit)), menuButtons(turn))];
    return recommendReplies(turn);
  }
  const intro = reference ? turn.text.cheaperThan(courseTitle(reference, turn.locale)) : limit ? turn.text.withinBudget(formatMoney(limit)) : turn.text.cheapest;
  return [await courseListReply(turn, intro, cheaper)];
}
