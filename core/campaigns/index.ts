export * from './campaign-types.js';
export type {
  AudienceRepository, BatchMessenger, CampaignContentRepository, CampaignRepository, CapBatchLedger, GuardSettingsRepository, KeyedSend, OutboxRepository, RetargetingRuleRepository,
} from './campaign-ports.js';
export { createBroadcast } from './create-broadcast.js';
export { ADMIN_TOKEN_OWNER, assertOfferedCoupons, assertOwnCourses, broadcastOwnerOf, canManageBroadcast, findManagedBroadcast, segmentCourseIds } from './broadcast-access.js';
export { planBroadcastAudience } from './plan-broadcast-audience.js';
export { previewPicks, type PickShare } from './preview-picks.js';
export { pickCourseFor, type CoursePurchaseRates, type CrossSellOffers, type NextCourseOffers, type NoPick, type PickedCourse } from './pick-course.js';
export { enqueueBroadcast, BROADCAST_STEP } from './enqueue-broadcast.js';
export { dispatchOutbox, type DispatchDeps, type DispatchOptions, type DispatchOutcome } from './dispatch-outbox.js';
export { scanRetargeting } from './scan-retargeting.js';
export { controlBroadcast, type BroadcastCommand } from './control-broadcast.js';
export { getCampaignResults } from './get-campaign-results.js';
export { computeIncrementality, type ArmOutcome, type IncrementalResult } from './incrementality.js';
export { isInControlGroup } from './holdouts.js';
export { isStarsPlatform, renderCampaignMessage, type CampaignMessageContext } from './render-campaign-message.js';
export { CROSS_SELL_DEFAULTS, indexAssociationRules, pickCrossSell, type CrossSellReason } from './cross-sell.js';
