export { SandboxWechatPay } from './sandbox-wechat-pay.js';
