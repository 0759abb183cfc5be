import { runProcess } from './run-process.js';
import { wireWechat } from './wire-wechat.js';

/*
 * The WeChat process: the wechaty bot (when WECHAT_BOT_ENABLED=true) and the mini-program API at
 * /mp, with the admin login-QR route. `npm run start:wechat` runs this.
 */
runProcess({ name: 'wechat-only', wire: wireWechat });
