export * from './order.js';
export { createPendingOrder, listPrice, OPEN_ORDER_REUSE_MS, priceForFollower, type CreatePendingOrderInput } from './create-pending-order.js';
export { cancelPendingOrder } from './cancel-pending-order.js';
export { confirmPayment, type PaymentConfirmation } from './confirm-payment.js';
export { refundOrder } from './refund-order.js';
