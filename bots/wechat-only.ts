import { runProcess } from './run-process.js';
import { wireRisk } from './wire-risk.js';
import { wireDispatcher } from './wire-jobs.js';
import { wireLearning } from './wire-learning.js';
import { wireWechat } from './wire-wechat.js';

/*
 * The WeChat process: the wechaty bot (when WECHAT_BOT_ENABLED=true) and the mini-program API at
 * /mp, with the admin login-QR route, and the outbox dispatcher for WeChat marketing messages
 * (only this process holds the logged-in session). `npm run start:wechat` runs this.
 */
runProcess({
  name: 'wechat-only',
  wire: async (ctx, wiring) => {
    await wireRisk(ctx, wiring, { withApi: false });
    await wireLearning(ctx, wiring);
    await wireWechat(ctx, wiring);
    wireDispatcher(ctx, wiring);
  },
});
