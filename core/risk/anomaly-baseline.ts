import type { AnomalyBaseline } from './anomaly-model.js';

/** Written by `npm run bench:risk -- --write-baseline` (fitted on the replayed demo audience); do not edit by hand. */
export const DEMO_ANOMALY_BASELINE: AnomalyBaseline = {
  fittedOn: 240,
  fittedAt: '2026-11-29T22:21:27.707Z',
  median: {
    peakEventsPerMinute: 2,
    peakCoursesPerMinute: 1,
    peakMessagesPerMinute: 1,
    refunds: 0,
    paymentFailures: 0,
    linkedAccounts: 0,
    duplicateTextAccounts: 1
  },
  mad: {
    peakEventsPerMinute: 0,
    peakCoursesPerMinute: 0,
    peakMessagesPerMinute: 0,
    refunds: 0,
    paymentFailures: 0,
    linkedAccounts: 0,
    duplicateTextAccounts: 0
  }
};
