export * from './event-types.js';
export { recordEvents, recordEvent, recordEventsSeeingFollowers, MAX_EVENT_BATCH, type EventResult, type RecordedEvents, type RecordEventsDeps } from './record-events.js';
export { EventBatcher, MicroBatcher, type EventBatcherOptions, type MicroBatcherOptions } from './event-batcher.js';
export { assertMayRecordEvents, CREATOR_EVENT_KINDS } from './event-access.js';
