export { InboundConversation, type InboundConversationDeps } from './answer-inbound.js';
export type { ChatPayment, ChatRef, DialogInput, Inbound, InboundOutcome } from './inbound.js';
export type { ChargeRefunds, EventSink, ReplyOutbox } from './ports.js';
export { settlePayment, type PaymentSettlement } from './settle-payment.js';
export { checkoutTryAgain, reviewCheckout, type CheckoutQuery, type CheckoutVerdict } from './review-checkout.js';
export { learningTurnReplies, type ChatLearning } from './learning-turn.js';
