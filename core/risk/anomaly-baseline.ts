import type { AnomalyBaseline } from './anomaly-model.js';

/** Written by `npm run bench:risk -- --write-baseline` (fitted on the replayed demo audience); do not edit by hand. */
export const DEMO_ANOMALY_BASELINE: AnomalyBaseline = {
  fittedOn: 0,
  fittedAt: '1970-01-01T00:00:00.000Z',
  median: { peakEventsPerMinute: 0, peakCoursesPerMinute: 0, peakMessagesPerMinute: 0, refunds: 0, paymentFailures: 0, linkedAccounts: 0, duplicateTextAccounts: 0 },
  mad: { peakEventsPerMinute: 0, peakCoursesPerMinute: 0, peakMessagesPerMinute: 0, refunds: 0, paymentFailures: 0, linkedAccounts: 0, duplicateTextAccounts: 0 },
};
