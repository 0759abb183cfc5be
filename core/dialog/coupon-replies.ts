import { couponRefusalText } from '../commerce/coupon.js';
import { recommendReplies } from './catalogue-replies.js';
import { textReply, type DialogTurn } from './dialog-turn.js';
import { confirmPurchaseReplies } from './purchase-replies.js';
import type { Reply } from './reply.js';

/**
 * A coupon code typed ("用券 SAVE20", "coupon SAVE20") or tapped: the confirmation card of the
 * course it is for (its own course, else the course in view) with the regular and the discounted
 * price; unknown codes are said so; a coupon for several courses with none in view asks the
 * follower to open one first. A button that names the course (a broadcast's Buy with coupon) opens
 * that course's card. Nothing is reserved until Confirm opens the order.
 */
export async function useCouponReplies(turn: DialogTurn, code: string, namedCourseId?: string): Promise<Reply[]> {
  const found = await turn.deps.repos.coupons.findByCode(code);
  if (found.length === 0) return [textReply(couponRefusalText('unknown', code, turn.locale))];
  const ownCourse = found.length === 1 ? found[0]!.coupon.courseId : null;
  const inView = turn.memory.pending?.kind === 'confirm_purchase' ? turn.memory.pending.courseId : turn.memory.focusCourseId;
  const courseId = ownCourse ?? namedCourseId ?? inView ?? found.find((f) => f.coupon.courseId !== null && found.every((g) => g.coupon.courseId === f.coupon.courseId))?.coupon.courseId;
  if (!courseId) return [textReply(turn.text.couponPickCourse(code)), ...(await recommendReplies(turn))];
  return confirmPurchaseReplies(turn, { kind: 'tapped', courseId }, code);
}
