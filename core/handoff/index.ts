export {
  DEFAULT_MISUNDERSTOOD_TURNS_BEFORE_HANDOFF, HANDOFF_REASONS, HANDOFF_STATUSES,
  type FollowerText, type Handoff, type HandoffDesk, type HandoffInbox, type HandoffReason, type HandoffStatus, type InboxItem, type InboxQuery, type StaffMessage,
} from './handoff.js';
export { listInbox, readThread, type HandoffFollower, type HandoffThread, type InboxEntry, type ReadThreadDeps, type ThreadMessage } from './read-inbox.js';
export { replyToHandoff, type ReplyToHandoffDeps } from './reply-to-handoff.js';
export { closeHandoff, type CloseHandoffDeps } from './close-handoff.js';
