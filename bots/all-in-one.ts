import { createCoreApiRouter } from '../adapters/index.js';
import { runProcess } from './run-process.js';
import { wireRisk } from './wire-risk.js';
import { wireConsole } from './wire-console.js';
import { wireJobs } from './wire-jobs.js';
import { wireLearning } from './wire-learning.js';
import { wireRecommender } from './wire-recommender.js';
import { wireTelegram } from './wire-telegram.js';
import { wireWechat } from './wire-wechat.js';

/*
 * The all-in-one process: HTTP API, bots whose tokens are set, the job scheduler and the outbox
 * dispatcher, and the console, on one database. `npm start` runs this.
 */
runProcess({
  name: 'all-in-one',
  wire: async (ctx, wiring) => {
    wiring.mounts.push({ path: '/api', router: createCoreApiRouter({ recordEventsDeps: ctx.recordEventsDeps, ...ctx.repos, clock: ctx.clock }), access: 'admin' });
    // Dependency order: the recommender and learning (the chat channels use both), then the chat
    // channels (they register messengers), then the jobs (they send through those messengers),
    // then the console (it guards every admin mount).
    await wireRisk(ctx, wiring, { withApi: true });
    await wireRecommender(ctx, wiring);
    await wireLearning(ctx, wiring);
    await wireTelegram(ctx, wiring);
    await wireWechat(ctx, wiring);
    await wireJobs(ctx, wiring);
    await wireConsole(ctx, wiring);
  },
});
