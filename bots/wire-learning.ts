import { createLearnRouter } from '../adapters/http/learning/index.js';
import { createMpLearningRouter, requireMpSession } from '../adapters/http/mp/index.js';
import type { LearningDeps, LessonLinkSettings } from '../core/index.js';
import { PgLearningRepository, PgLessonReminderRepository } from '../models/index.js';
import { resolveGeneratedSecret } from './admin-token.js';
import type { CoreContext } from './core-context.js';
import { resolveMpSessionSecret } from './wire-wechat.js';
import type { Wiring } from './wiring.js';

/** The learning use cases' dependencies over the process's database and clock. */
export function createLearningDeps(ctx: Pick<CoreContext, 'database' | 'repos' | 'recordEventsDeps' | 'clock'>): LearningDeps {
  return { learning: new PgLearningRepository(ctx.database.db), courses: ctx.repos.courses, followers: ctx.repos.followers, events: ctx.recordEventsDeps, clock: ctx.clock };
}

/**
 * Learning: lesson links (`GET /learn/:token`), the mini-program's `/mp/my/...` routes, and
 * `wiring.learning` for the chat channels (`startLearningReplies`, `completeLesson`, `checkIn`, the
 * reminder switch) and for the lesson-reminders job.
 * The link secret is LESSON_LINK_SECRET or one generated into `<DATA_DIR>/lesson-link-secret`.
 *
 * @example
 * await wireLearning(ctx, wiring); // before the channels that send lesson links
 */
export async function wireLearning(ctx: CoreContext, wiring: Wiring): Promise<void> {
  const config = ctx.config.learning;
  const { secret, source } = await resolveGeneratedSecret({ configured: config.linkSecret, variable: 'LESSON_LINK_SECRET', dataDir: ctx.config.dataDir, file: 'lesson-link-secret', bytes: 32 });
  ctx.logger.info({ from: source }, 'lesson link secret loaded');
  const { secret: mpSessionSecret } = await resolveMpSessionSecret(ctx.config.wechat.miniProgram.sessionSecret, ctx.config.dataDir);
  const deps = createLearningDeps(ctx);
  const links: LessonLinkSettings = { secret, baseUrl: config.publicBaseUrl, ttlMs: config.linkTtlMs };
  wiring.learning = { deps, links, reminders: new PgLessonReminderRepository(ctx.database.db) };
  wiring.mounts.push(
    { path: '/learn', access: 'public', router: createLearnRouter({ learning: deps, linkSecret: secret, mpSessionSecret, isSecureCookie: ctx.config.env === 'production' }) },
    { path: '/mp', access: 'public', router: createMpLearningRouter({ learning: deps, links }, requireMpSession(mpSessionSecret, ctx.clock)) },
  );
}
