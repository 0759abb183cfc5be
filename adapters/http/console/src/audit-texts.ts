import type { Lang } from './i18n.ts';

/** The audit log's texts: one sentence per action (with `{placeholders}` from its details), subject kinds and actors. */
const auditZh = {
  action: {
    'account.create': '创建了账号 {email}（{role}）', 'account.update': '修改了账号：{changed}', 'auth.login': '登录了控制台', 'auth.logout': '退出了控制台',
    'course.create': '创建了课程 {slug}（{price}）', 'course.update': '修改了课程：{changed}', 'course.archive': '归档了课程',
    'chapter.create': '添加了一个章节', 'chapter.update': '修改了一个章节', 'chapter.delete': '删除了一个章节',
    'lesson.create': '添加了一节课', 'lesson.update': '修改了一节课', 'lesson.delete': '删除了一节课',
    'coupon.create': '创建了优惠券 {code}', 'coupon.activate': '启用了优惠券', 'coupon.deactivate': '停用了优惠券', 'coupon.code_issued': '给一位粉丝发放了专属券码 {code}',
    'coupon.reserved': '下单时占用了优惠券 {code}', 'coupon.redeemed': '付款后使用了优惠券 {code}', 'coupon.released': '释放了优惠券 {code}（{reason}）',
    'order.paid': '订单已付款', 'order.refunded': '订单已退款（{reason}）', 'order.cancelled': '订单已取消（{reason}）',
    'follower.export': '导出了一位粉丝的数据（{events} 个事件，{orders} 个订单）', 'follower.delete': '删除了一位粉丝的全部数据',
    'settings.guards': '设置频次上限与免打扰：每天最多 {dailyCap} 条，每周最多 {weeklyCap} 条，{quietStart}–{quietEnd} 免打扰', 'settings.consent_texts': '修改了授权文案',
    'settings.risk': '修改了风控阈值', 'risk.clear': '审核放行了一位粉丝', 'risk.confirm': '确认并封禁了一位粉丝',
    'token.issue': '签发了 API 令牌 {name}', 'token.revoke': '吊销了一个 API 令牌', 'handoff.replied': '在人工客服会话中回复了粉丝', 'handoff.closed': '结束了人工客服会话',
    'events.record': '通过接口导入了事件',
    'recommender_experiment.create': '创建了推荐实验 {name}', 'recommender_experiment.start': '开始了推荐实验 {name}', 'recommender_experiment.stop': '停止了推荐实验 {name}',
  } as Record<string, string>,
  other: '操作：{action}',
  subject: {
    account: '账号', api_token: 'API 令牌', coupon: '优惠券', course: '课程', events: '事件', follower: '粉丝', handoff: '人工客服会话', order: '订单', settings: '设置', recommender_experiment: '推荐实验',
  } as Record<string, string>,
  allSubjects: '全部对象', subjectId: '对象编号', adminToken: '管理员 API 令牌', system: '系统', token: 'API 令牌', follower: '粉丝',
  field: { displayName: '显示名', role: '角色', isDisabled: '停用状态', password: '密码', titleZh: '中文标题', titleEn: '英文标题', prices: '价格', status: '状态', tags: '标签', descriptionZh: '中文介绍', descriptionEn: '英文介绍' } as Record<string, string>,
  role: { admin: '管理员', creator: '创作者' } as Record<string, string>,
};
const auditEn: typeof auditZh = {
  action: {
    'account.create': 'Created the account {email} ({role})', 'account.update': 'Changed an account: {changed}', 'auth.login': 'Logged in to the console', 'auth.logout': 'Logged out of the console',
    'course.create': 'Created the course {slug} ({price})', 'course.update': 'Changed a course: {changed}', 'course.archive': 'Archived a course',
    'chapter.create': 'Added a chapter', 'chapter.update': 'Changed a chapter', 'chapter.delete': 'Deleted a chapter',
    'lesson.create': 'Added a lesson', 'lesson.update': 'Changed a lesson', 'lesson.delete': 'Deleted a lesson',
    'coupon.create': 'Created the coupon {code}', 'coupon.activate': 'Switched a coupon on', 'coupon.deactivate': 'Switched a coupon off', 'coupon.code_issued': "Issued a follower's own code {code}",
    'coupon.reserved': 'Coupon {code} held for a checkout', 'coupon.redeemed': 'Coupon {code} used in a paid order', 'coupon.released': 'Coupon {code} given back ({reason})',
    'order.paid': 'An order was paid', 'order.refunded': 'An order was refunded ({reason})', 'order.cancelled': 'An order was cancelled ({reason})',
    'follower.export': "Exported a follower's data ({events} events, {orders} orders)", 'follower.delete': "Deleted all of a follower's data",
    'settings.guards': 'Set caps and quiet hours: at most {dailyCap} a day and {weeklyCap} a week, quiet {quietStart}–{quietEnd}', 'settings.consent_texts': 'Changed the consent texts',
    'settings.risk': 'Changed the risk thresholds', 'risk.clear': 'Cleared a follower under risk review', 'risk.confirm': 'Confirmed and blocked a follower',
    'token.issue': 'Issued the API token {name}', 'token.revoke': 'Revoked an API token', 'handoff.replied': 'Replied to a follower in a hand-off', 'handoff.closed': 'Closed a hand-off',
    'events.record': 'Imported events through the API',
    'recommender_experiment.create': 'Created the recommender experiment {name}', 'recommender_experiment.start': 'Started the recommender experiment {name}', 'recommender_experiment.stop': 'Stopped the recommender experiment {name}',
  } as Record<string, string>,
  other: 'Action: {action}',
  subject: {
    account: 'Account', api_token: 'API token', coupon: 'Coupon', course: 'Course', events: 'Events', follower: 'Follower', handoff: 'Hand-off', order: 'Order', settings: 'Settings', recommender_experiment: 'Recommender experiment',
  } as Record<string, string>,
  allSubjects: 'Everything', subjectId: 'Subject id', adminToken: 'Admin API token', system: 'System', token: 'API token', follower: 'Follower',
  field: { displayName: 'display name', role: 'role', isDisabled: 'disabled', password: 'password', titleZh: 'Chinese title', titleEn: 'English title', prices: 'prices', status: 'status', tags: 'tags', descriptionZh: 'Chinese description', descriptionEn: 'English description' } as Record<string, string>,
  role: { admin: 'admin', creator: 'creator' } as Record<string, string>,
};
export const AUDIT_MESSAGES: Record<Lang, typeof auditZh> = { 'zh-CN': auditZh, en: auditEn };
