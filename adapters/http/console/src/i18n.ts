import { createContext, useContext } from 'react';

export type Lang = 'zh-CN' | 'en';

const zh = {
  appName: '知了 控制台', login: '登录', logout: '退出', email: '邮箱', password: '密码', dashboard: '数据看板', followers: '粉丝', courses: '课程',
  broadcasts: '群发', retargeting: '再营销规则', experiments: '实验', schedules: '定时任务', settings: '设置',
  followersOverTime: '各平台粉丝增长', funnel: '转化漏斗', revenueByDay: '每日收入',
  revenueByCourse: '课程收入', conversionBySegment: '分群转化率', topCourses: '热门课程', search: '搜索', export: '导出数据', delete: '删除数据',
  confirmDelete: '确定永久删除该粉丝的全部数据？', persona: '画像', timeline: '事件时间线', create: '创建', save: '保存', archive: '归档', price: '价格',
  slug: '标识', titleZh: '中文标题', titleEn: '英文标题', status: '状态', coupons: '优惠券', code: '券码', percentOff: '折扣 %', audience: '受众',
  preview: '预览受众', variants: '文案变体', addVariant: '添加变体', send: '发送', progress: '进度', cron: 'Cron 表达式',
  nextRuns: '接下来 5 次运行', enabled: '启用', runNow: '立即运行', history: '运行记录', caps: '频次上限', dailyCap: '每日上限', weeklyCap: '每周上限',
  quietHours: '免打扰时段', consentTexts: '授权文案', channels: '渠道状态', saved: '已保存', views: '浏览', purchases: '购买', revenue: '收入', rate: '转化率',
  name: '名称', description: '描述', loading: '加载中…', none: '暂无数据', followUp: '关注', engaged: '互动', viewed: '浏览课程', checkout: '下单', purchase: '购买',
  matched: '匹配粉丝', language: 'English',
  allocation: '分配方式', allocationAb: 'A/B 均分', allocationBandit: '多臂老虎机', sendNow: '立即', platforms: '平台', tags: '兴趣标签',
  lifecycle: '生命周期', sample: '抽样', recent: '最近群发', queued: '排队', sending: '发送中', sent: '已发送', delivered: '已送达', failed: '失败',
  blocked: '被屏蔽', skipped: '跳过', cancelled: '已取消', held: '暂缓', pause: '暂停', resume: '继续', cancel: '取消', results: '实验结果',
  variant: '变体', conversions: '转化', interval: '95% 区间', pBest: '最优概率', vsControl: '对比对照组', significant: '显著', trigger: '触发条件',
  delay: '延迟', goal: '转化目标', timezone: '时区', lastFired: '上次运行', trigger2: '触发', outcome: '结果', duration: '耗时', unsaved: '未保存：预览',
  auditLog: '审计日志', actor: '操作人', action: '操作', subject: '对象', at: '时间', filter: '筛选', prev: '上一页', next: '下一页',
  loginQr: '微信登录二维码', botOff: '未开启', audienceSize: '受众人数', experimentsHelp: '每个群发与再营销规则的各变体结果（转化率与 95% 可信区间）。',
  newRule: '新建规则', edit: '编辑', remove: '删除', removeVariant: '移除', deleted: '已删除', confirmDeleteRule: '确定删除再营销规则 {name}？',
  ruleNameHelp: '小写字母、数字或 -', triggerViewedNotBought: '浏览未购买', triggerAbandonedCheckout: '下单未支付', triggerDormant: '沉睡粉丝',
  triggerNewCourseMatch: '新课匹配兴趣', triggerCrossSell: '购后交叉推荐', triggerCompletedCourse: '学完课程后推荐下一门', triggerStalledLearning: '学习停滞提醒',
  paramHoursCompleted: '学完后多少小时推荐', paramDaysStalled: '多少天没有学习', paramHoursViewed: '浏览后多少小时仍未购买', paramHoursCheckout: '下单后多少小时仍未支付',
  paramDaysDormant: '多少天未活跃', paramDaysNewCourse: '最近多少天上线的课程', paramHoursCrossSell: '购买后多少小时', paramMinSupport: '最少共同购买人数（模型训练前）',
  paramMinConfidence: '最低置信度（0–1）', paramMinLift: '最低提升度', defaultIs: '默认', maxPerFollower: '每位粉丝最多条数', attributionHours: '归因窗口（小时）',
  click: '点击', minutes: '分钟', hours: '小时', days: '天', templates: '消息模板（每个变体一份中文与英文）', templateVariables: '可用变量',
  varCourse: '课程标题（按粉丝的语言）；消息后附带含购买按钮的课程卡片', varPurchased: '粉丝已购买的课程', varConfidence: '买了该课程的人中也买了本课程的比例',
  varSupport: '同时购买两门课程的买家占全部买家的比例', varLift: '比一般买家更可能购买的倍数', optOutNote: '每条消息末尾会自动附上退订说明。',
  sendWhen: '发送时间', sendAtMyZone: '按我的时区定时', sendFollowerLocal: '按每位粉丝所在时区的当地时间', date: '日期', time: '时间',
  followerLocalHelp: '每位粉丝在自己时区的这个时间收到；该时间已过的粉丝立即收到。', sentAtOnce: '立即发送', sentAt: '定时 {at}',
  sentFollowerLocal: '每位粉丝当地时间 {date} {time}',
  priceWechat: '微信/小程序价格（元）', priceStars: 'Telegram 价格（星星）', starsHelp: '星星是整数，如 49', editCourse: '编辑课程', descriptionZh: '中文介绍', descriptionEn: '英文介绍',
  cover: '封面图片网址', teacher: '讲师', tagsHelp: '用逗号分隔', pacing: '学习节奏', pacingSelf: '自主学习（全部解锁）', pacingDrip: '定时解锁', pacingCohort: '班级同期开课',
  everyDays: '每隔几天解锁一课', startsAt: '开课时间', enrolmentClosesAt: '报名截止', telegramChat: 'Telegram 学员群（-100… 或 @群名）', content: '章节与课时',
  addChapter: '添加章节', addLesson: '添加课时', bodyZh: '中文正文', bodyEn: '英文正文', mediaUrl: '链接或视频网址', mediaLink: '链接', mediaVideo: '视频', mediaNone: '无',
  attachment: '附件（文件地址）', estimatedMinutes: '预计分钟', freePreview: '免费试看', lessonsCount: '{n} 节课', confirmDeleteContent: '确定删除？',
  invalidFields: '有字段需要修改，请查看标红的提示。', draft: '草稿', onSale: '在售', archived: '已归档',
  stageNew: '新粉丝', stageEngaged: '活跃互动', stageCustomer: '付费客户', stageAtRisk: '流失风险', stageDormant: '沉睡',
  courseOnCard: '附带课程', pickNone: '不附课程', pickRecommended: '每位粉丝的专属推荐', pickCrossSell: '交叉销售（无规则时用专属推荐）', pickFixed: '固定课程',
  pickHelp: '可用 {course}、{price}、{reason}（推荐理由）', pickDistribution: '专属推荐分布（抽样 {n} 人）', noOffer: '无可推荐', picksByCourse: '各课程的发送与转化',
  excluded: '无法发送', excludedOptedOut: '已退订', excludedNoConsent: '未同意营销', excludedUnreachable: '无法触达', excludedNoChat: '没有可发送的聊天', excludedRiskReview: '风控审核中',
  priority: '优先级（数字大者当天优先）',
  learningReport: '学习情况', learnersSummary: '{learners} 位学员，{completed} 位已学完（{percent}%）', completionFunnel: '完课漏斗（学完该课及之前所有课的学员）',
  lesson: '课时', lessonNumber: '第{n}课', learnersReached: '学员数', stuckLearners: '卡住的学员（{n}）', stuckAfterDays: '多少天没有学习算卡住',
  nobodyStuck: '没有卡住的学员。', learner: '学员', lessonsDone: '已学完', nextLesson: '下一课', lastLearned: '最近学习', idleDays: '未学习天数', neverLearned: '从未学习',
  riskReview: '风控审核',
};
const en: typeof zh = {
  appName: 'Zhiliao console', login: 'Log in', logout: 'Log out', email: 'Email', password: 'Password', dashboard: 'Dashboard', followers: 'Followers', courses: 'Courses',
  broadcasts: 'Broadcasts', retargeting: 'Retargeting rules', experiments: 'Experiments', schedules: 'Schedules', settings: 'Settings',
  followersOverTime: 'Followers over time by platform', funnel: 'Funnel', revenueByDay: 'Revenue by day',
  revenueByCourse: 'Revenue by course', conversionBySegment: 'Conversion by segment', topCourses: 'Top courses', search: 'Search', export: 'Export data', delete: 'Delete data',
  confirmDelete: "Permanently delete all of this follower's data?", persona: 'Persona', timeline: 'Timeline', create: 'Create', save: 'Save', archive: 'Archive', price: 'Price',
  slug: 'Slug', titleZh: 'Chinese title', titleEn: 'English title', status: 'Status', coupons: 'Coupons', code: 'Code', percentOff: 'Percent off', audience: 'Audience',
  preview: 'Preview audience', variants: 'Variants', addVariant: 'Add variant', send: 'Send', progress: 'Progress', cron: 'Cron expression',
  nextRuns: 'Next 5 runs', enabled: 'Enabled', runNow: 'Run now', history: 'History', caps: 'Frequency caps', dailyCap: 'Daily cap', weeklyCap: 'Weekly cap',
  quietHours: 'Quiet hours', consentTexts: 'Consent texts', channels: 'Channel status', saved: 'Saved', views: 'Views', purchases: 'Purchases', revenue: 'Revenue', rate: 'Rate',
  name: 'Name', description: 'Description', loading: 'Loading…', none: 'No data yet', followUp: 'Follow', engaged: 'Engaged', viewed: 'Viewed', checkout: 'Checkout', purchase: 'Purchase',
  matched: 'Matched followers', language: '中文',
  allocation: 'Allocation', allocationAb: 'A/B split', allocationBandit: 'Bandit', sendNow: 'Now', platforms: 'Platforms', tags: 'Interest tags',
  lifecycle: 'Lifecycle', sample: 'Sample', recent: 'Recent broadcasts', queued: 'Queued', sending: 'Sending', sent: 'Sent', delivered: 'Delivered', failed: 'Failed',
  blocked: 'Blocked', skipped: 'Skipped', cancelled: 'Cancelled', held: 'Held', pause: 'Pause', resume: 'Resume', cancel: 'Cancel', results: 'Results',
  variant: 'Variant', conversions: 'Conversions', interval: '95% interval', pBest: 'P(best)', vsControl: 'vs control', significant: 'significant', trigger: 'Trigger',
  delay: 'Delay', goal: 'Goal', timezone: 'Time zone', lastFired: 'Last fired', trigger2: 'Trigger', outcome: 'Outcome', duration: 'Duration', unsaved: 'Unsaved: preview',
  auditLog: 'Audit log', actor: 'Actor', action: 'Action', subject: 'Subject', at: 'At', filter: 'Filter', prev: 'Previous', next: 'Next',
  loginQr: 'WeChat login QR', botOff: 'Off', audienceSize: 'Audience', experimentsHelp: 'Per-variant results of every broadcast and retargeting rule (conversion rate with a 95% credible interval).',
  newRule: 'New rule', edit: 'Edit', remove: 'Delete', removeVariant: 'Remove', deleted: 'Deleted', confirmDeleteRule: 'Delete the retargeting rule {name}?',
  ruleNameHelp: 'lowercase letters, digits or -', triggerViewedNotBought: 'Viewed, not bought', triggerAbandonedCheckout: 'Abandoned checkout', triggerDormant: 'Dormant follower',
  triggerNewCourseMatch: 'New course matching interests', triggerCrossSell: 'Cross-sell after a purchase', triggerCompletedCourse: 'Next course after finishing one', triggerStalledLearning: 'Stalled learning',
  paramHoursCompleted: 'Hours after finishing the course', paramDaysStalled: 'Days without learning', paramHoursViewed: 'Hours after the view without buying', paramHoursCheckout: 'Hours after checkout without paying',
  paramDaysDormant: 'Days without activity', paramDaysNewCourse: 'Courses published in the last N days', paramHoursCrossSell: 'Hours after the purchase', paramMinSupport: 'Least buyers of both (until a model is trained)',
  paramMinConfidence: 'Least confidence (0–1)', paramMinLift: 'Least lift', defaultIs: 'default', maxPerFollower: 'Max messages per follower', attributionHours: 'Attribution window (hours)',
  click: 'Click', minutes: 'minutes', hours: 'hours', days: 'days', templates: 'Message templates (zh-CN and en per variant)', templateVariables: 'Variables',
  varCourse: "the course's title in the follower's language; a course card with a Buy button follows the text", varPurchased: 'the course(s) the follower bought', varConfidence: 'share of its buyers who also bought this course',
  varSupport: 'share of all buyers who bought both', varLift: 'how many times likelier than an average buyer', optOutNote: 'The opt-out line is added to every message.',
  sendWhen: 'When', sendAtMyZone: 'At this time in my zone', sendFollowerLocal: "At this local time in each follower's zone", date: 'Date', time: 'Time',
  followerLocalHelp: 'Each follower gets it at this wall time in their own time zone; those for whom it has passed get it at once.', sentAtOnce: 'Sent at once', sentAt: 'At {at}',
  sentFollowerLocal: "{date} {time} in each follower's time zone",
  priceWechat: 'Price on WeChat / mini-program (yuan)', priceStars: 'Price on Telegram (Stars)', starsHelp: 'Stars are whole numbers, e.g. 49', editCourse: 'Edit course',
  descriptionZh: 'Chinese description', descriptionEn: 'English description', cover: 'Cover image URL', teacher: 'Teacher', tagsHelp: 'comma-separated', pacing: 'Pacing',
  pacingSelf: 'Self-paced (all open)', pacingDrip: 'Drip (one lesson every few days)', pacingCohort: 'Cohort (starts together)', everyDays: 'Open a lesson every N days',
  startsAt: 'Starts at', enrolmentClosesAt: 'Enrolment closes', telegramChat: 'Telegram learners group (-100… or @name)', content: 'Chapters and lessons',
  addChapter: 'Add chapter', addLesson: 'Add lesson', bodyZh: 'Chinese text', bodyEn: 'English text', mediaUrl: 'Link or video URL', mediaLink: 'Link', mediaVideo: 'Video', mediaNone: 'None',
  attachment: 'Attachment (file address)', estimatedMinutes: 'Minutes', freePreview: 'Free preview', lessonsCount: '{n} lessons', confirmDeleteContent: 'Delete it?',
  invalidFields: 'Some fields need fixing; see the messages in red.', draft: 'Draft', onSale: 'On sale', archived: 'Archived',
  stageNew: 'New', stageEngaged: 'Engaged', stageCustomer: 'Customer', stageAtRisk: 'At risk', stageDormant: 'Dormant',
  courseOnCard: 'Course on the card', pickNone: 'No course', pickRecommended: "Each follower's own pick", pickCrossSell: 'Cross-sell (else their own pick)', pickFixed: 'Fixed course',
  pickHelp: 'You can use {course}, {price} and {reason} (why it was picked)', pickDistribution: "Each follower's own pick (sample of {n})", noOffer: 'Nothing to offer',
  picksByCourse: 'Sends and conversions per course', excluded: 'Cannot be sent', excludedOptedOut: 'Opted out', excludedNoConsent: 'No marketing consent',
  excludedUnreachable: 'Unreachable', excludedNoChat: 'No chat we can send to', excludedRiskReview: 'Under risk review', priority: 'Priority (higher wins the day)',
  learningReport: 'Learning', learnersSummary: '{learners} learners, {completed} finished ({percent}%)', completionFunnel: 'Completion funnel (finished this lesson and every one before)',
  lesson: 'Lesson', lessonNumber: 'Lesson {n}', learnersReached: 'Learners', stuckLearners: 'Stuck learners ({n})', stuckAfterDays: 'Stuck after this many days without learning',
  nobodyStuck: 'Nobody is stuck.', learner: 'Learner', lessonsDone: 'Lessons done', nextLesson: 'Next lesson', lastLearned: 'Last learned', idleDays: 'Days idle', neverLearned: 'Never',
  riskReview: 'Risk review',
};

export type Messages = typeof zh;
export const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zh, en };
export const I18nContext = createContext<{ lang: Lang; t: Messages; setLang: (lang: Lang) => void }>({ lang: 'zh-CN', t: zh, setLang: () => undefined });
export const useI18n = () => useContext(I18nContext);

/**
 * Fills `{name}` placeholders of a message.
 *
 * @example
 * fill('Delete the retargeting rule {name}?', { name: 'dormant' }); // 'Delete the retargeting rule dormant?'
 */
export const fill = (message: string, values: Record<string, string>): string => message.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

/** The risk review page's texts, kept apart from the flat page messages (nested: reasons, features, fields). */
const riskZh = {
  help: '风控评分标记的粉丝：不参与群发、实验和多臂老虎机统计，下单暂缓审核。放行后恢复正常；确认后封禁（不再回复、不再发送）。',
  status: { flagged: '待审核', blocked: '已封禁', cleared: '已放行' } as Record<string, string>,
  follower: '粉丝', score: '风险分', reasons: '原因', heldOrders: '暂扣订单', flaggedAt: '标记时间', reviewedBy: '审核人',
  clear: '放行', confirm: '确认并封禁', confirmPrompt: '确认封禁该粉丝？封禁后不再回复、不再发送，暂扣订单将取消。', all: '全部',
  settings: '风控阈值', settingsHelp: '每条规则触发时加上它的权重；总分达到标记分数线即标记待审核。权重为 0 即关闭该规则。',
  reason: {
    event_burst: '{windowSeconds} 秒内 {count} 个事件',
    message_burst: '{windowSeconds} 秒内发送 {count} 条消息',
    duplicate_text: '{accounts} 个账号在 {windowSeconds} 秒内发送相同文字：“{text}”',
    new_account_clicks: '注册 {accountAgeHours} 小时的新账号在 {windowSeconds} 秒内浏览 {courses} 门课程',
    linked_accounts: '同一{via}背后有 {accounts} 个账号',
    pay_refund_cycles: '{windowDays} 天内退款 {refunds} 次',
    payment_failures: '{windowHours} 小时内 {failures} 次支付校验失败',
    anomaly: '行为异常：{feature}为 {value}，远高于常见水平（稳健 z 值 {z}）',
  } as Record<string, string>,
  via: { device: '设备', unionid: '微信 unionid' } as Record<string, string>,
  feature: {
    peakEventsPerMinute: '每分钟事件数峰值', peakCoursesPerMinute: '每分钟浏览课程数峰值', peakMessagesPerMinute: '每分钟消息数峰值', refunds: '退款次数',
    paymentFailures: '支付失败次数', linkedAccounts: '关联账号数', duplicateTextAccounts: '相同文字账号数',
  } as Record<string, string>,
  group: {
    eventBurst: '事件爆发', messageBurst: '消息刷屏', duplicateText: '多账号相同文字', newAccountClicks: '新账号快速浏览', linkedAccounts: '关联账号（同设备或 unionid）',
    payRefundCycles: '反复付款又退款', paymentFailures: '支付校验失败', anomaly: '学习到的异常分', chatThrottle: '聊天限流（不计分）',
  } as Record<string, string>,
  field: {
    flagScore: '标记分数线', count: '次数', windowSeconds: '时间窗（秒）', weight: '权重（0 为关闭）', accounts: '账号数', minLength: '最少字数', courses: '课程数',
    accountAgeHours: '新账号（注册小时数以内）', refunds: '退款次数', windowDays: '时间窗（天）', failures: '失败次数', windowHours: '时间窗（小时）', zThreshold: 'z 值阈值', messages: '消息条数',
  } as Record<string, string>,
};
const riskEn: typeof riskZh = {
  help: 'Followers the risk scorer flagged: left out of broadcasts, experiments and the bandit\'s statistics, their checkouts held for review. Clear to restore them; confirm to block (no replies, no sends).',
  status: { flagged: 'Awaiting review', blocked: 'Blocked', cleared: 'Cleared' } as Record<string, string>,
  follower: 'Follower', score: 'Risk score', reasons: 'Reasons', heldOrders: 'Held orders', flaggedAt: 'Flagged', reviewedBy: 'Reviewed by',
  clear: 'Clear', confirm: 'Confirm and block', confirmPrompt: 'Block this follower? They get no replies and no messages, and their held orders are cancelled.', all: 'All',
  settings: 'Risk thresholds', settingsHelp: 'Each rule that fires adds its weight; a total at or above the flag score flags the follower for review. A weight of 0 turns a rule off.',
  reason: {
    event_burst: '{count} events within {windowSeconds} s',
    message_burst: '{count} messages within {windowSeconds} s',
    duplicate_text: '{accounts} accounts sent the same text within {windowSeconds} s: “{text}”',
    new_account_clicks: 'An account {accountAgeHours} hours old looked at {courses} courses within {windowSeconds} s',
    linked_accounts: '{accounts} accounts behind one {via}',
    pay_refund_cycles: '{refunds} refunds within {windowDays} days',
    payment_failures: '{failures} payments failed verification within {windowHours} h',
    anomaly: 'Unusual behaviour: {feature} reached {value}, far above the usual (robust z {z})',
  } as Record<string, string>,
  via: { device: 'device', unionid: 'WeChat unionid' } as Record<string, string>,
  feature: {
    peakEventsPerMinute: 'events per minute at peak', peakCoursesPerMinute: 'courses looked at per minute at peak', peakMessagesPerMinute: 'messages per minute at peak', refunds: 'refunds',
    paymentFailures: 'failed payments', linkedAccounts: 'linked accounts', duplicateTextAccounts: 'accounts sending the same text',
  } as Record<string, string>,
  group: {
    eventBurst: 'Burst of events', messageBurst: 'Message flood', duplicateText: 'Same text from many accounts', newAccountClicks: 'New account clicking through courses',
    linkedAccounts: 'Linked accounts (one device or unionid)', payRefundCycles: 'Pay, then refund, again', paymentFailures: 'Payments failing verification', anomaly: 'Learned anomaly score',
    chatThrottle: 'Chat throttle (not scored)',
  } as Record<string, string>,
  field: {
    flagScore: 'Flag score', count: 'Events', windowSeconds: 'Window (seconds)', weight: 'Weight (0 turns it off)', accounts: 'Accounts', minLength: 'Minimum length', courses: 'Courses',
    accountAgeHours: 'Account younger than (hours)', refunds: 'Refunds', windowDays: 'Window (days)', failures: 'Failures', windowHours: 'Window (hours)', zThreshold: 'z threshold', messages: 'Messages',
  } as Record<string, string>,
};
export const RISK_MESSAGES: Record<Lang, typeof riskZh> = { 'zh-CN': riskZh, en: riskEn };
