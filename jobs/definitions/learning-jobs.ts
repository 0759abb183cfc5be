import { sendLessonReminders, type LessonReminderDeps, type LessonReminderOptions } from '../../core/index.js';
import type { JobDefinition } from '../job-types.js';

/**
 * Lesson reminders: every 15 minutes by default, so each learner is reached within a quarter of
 * an hour of their own most active hour; the per-day claim makes every further run a no-op for
 * them. Without a learning wiring in the process, every run is recorded as `not_available`.
 */
export function lessonRemindersJob(deps: LessonReminderDeps | undefined, options: LessonReminderOptions): JobDefinition {
  return {
    name: 'lesson-reminders',
    description: 'Reminds learners of an unlocked lesson (drip, cohort start, stalled) at their most active hour',
    defaultCron: '*/15 * * * *',
    defaultTimeZone: 'UTC',
    run: async () =>
      deps
        ? { outcome: 'ok', result: await sendLessonReminders(deps, options) }
        : { outcome: 'not_available', result: { reason: 'learning is not wired in this process (wireLearning runs before wireJobs)' } },
  };
}
