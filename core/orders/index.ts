export * from './order.js';
export { createPendingOrder, OPEN_ORDER_REUSE_MS, type CreatePendingOrderInput } from './create-pending-order.js';
export { confirmPayment, type PaymentConfirmation } from './confirm-payment.js';
export { refundOrder } from './refund-order.js';
