export { checkGuardsBeforeCap, type CapClaim, type GuardDecision, type GuardedFollower, type GuardSettings, type SkipReason } from './check-send-guards.js';
export { isQuietMinute, nextAllowedTime, parseTimeOfDay, type QuietHours } from './quiet-hours.js';
export { OPT_OUT_LINES, withOptOutLine } from './opt-out-line.js';
export { addDays, fromWallTime, localDayKey, localWeekKey, toWallTime, zoneOffsetMs, type WallTime } from './zoned-time.js';
