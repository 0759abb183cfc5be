export { COUPON_CODE_KINDS, COUPON_REFUSALS, CouponRefusedError, couponRefusalText, discountedPrice, type Coupon, type CouponCodeKind, type CouponRefusal } from './coupon.js';
export type { CouponLedger, NewReservation, RedemptionRelease } from './coupon-ports.js';
export { bestAutomaticPrice, normalizeCouponCode, quoteCoupon, type CouponQuote } from './quote-coupon.js';
export { releaseCoupon, reserveCoupon } from './reserve-coupon.js';
export { isTimeZone, learnersCsv, ordersCsv, REVENUE_GROUPS, revenueCsv, type ExportQueries, type ExportScope, type LearnerExportRow, type OrderExportRow, type RevenueGroup } from './exports.js';
