import { createContext, useContext } from 'react';

export type Lang = 'zh-CN' | 'en';

const zh = {
  appName: '知了 控制台', login: '登录', logout: '退出', email: '邮箱', password: '密码', dashboard: '数据看板', followers: '粉丝', courses: '课程',
  broadcasts: '群发', retargeting: '再营销规则', experiments: '实验', schedules: '定时任务', settings: '设置', coming: '即将推出',
  comingText: '此功能的后端接口尚未上线；接口可用后此页会自动启用。', followersOverTime: '各平台粉丝增长', funnel: '转化漏斗', revenueByDay: '每日收入',
  revenueByCourse: '课程收入', conversionBySegment: '分群转化率', topCourses: '热门课程', search: '搜索', export: '导出数据', delete: '删除数据',
  confirmDelete: '确定永久删除该粉丝的全部数据？', persona: '画像', timeline: '事件时间线', create: '创建', save: '保存', archive: '归档', price: '价格',
  slug: '标识', titleZh: '中文标题', titleEn: '英文标题', status: '状态', coupons: '优惠券', code: '券码', percentOff: '折扣 %', audience: '受众',
  preview: '预览受众', variants: '文案变体', addVariant: '添加变体', scheduleAt: '发送时间（留空立即发送）', send: '发送', progress: '进度', cron: 'Cron 表达式',
  nextRuns: '接下来 5 次运行', enabled: '启用', runNow: '立即运行', history: '运行记录', caps: '频次上限', dailyCap: '每日上限', weeklyCap: '每周上限',
  quietHours: '免打扰时段', consentTexts: '授权文案', channels: '渠道状态', saved: '已保存', views: '浏览', purchases: '购买', revenue: '收入', rate: '转化率',
  name: '名称', description: '描述', loading: '加载中…', none: '暂无数据', followUp: '关注', engaged: '互动', viewed: '浏览课程', checkout: '下单', purchase: '购买',
  matched: '匹配粉丝', language: 'English',
};
const en: typeof zh = {
  appName: 'Zhiliao console', login: 'Log in', logout: 'Log out', email: 'Email', password: 'Password', dashboard: 'Dashboard', followers: 'Followers', courses: 'Courses',
  broadcasts: 'Broadcasts', retargeting: 'Retargeting rules', experiments: 'Experiments', schedules: 'Schedules', settings: 'Settings', coming: 'Coming',
  comingText: 'The API behind this page is not live yet; the page turns on by itself once it is.', followersOverTime: 'Followers over time by platform', funnel: 'Funnel', revenueByDay: 'Revenue by day',
  revenueByCourse: 'Revenue by course', conversionBySegment: 'Conversion by segment', topCourses: 'Top courses', search: 'Search', export: 'Export data', delete: 'Delete data',
  confirmDelete: "Permanently delete all of this follower's data?", persona: 'Persona', timeline: 'Timeline', create: 'Create', save: 'Save', archive: 'Archive', price: 'Price',
  slug: 'Slug', titleZh: 'Chinese title', titleEn: 'English title', status: 'Status', coupons: 'Coupons', code: 'Code', percentOff: 'Percent off', audience: 'Audience',
  preview: 'Preview audience', variants: 'Variants', addVariant: 'Add variant', scheduleAt: 'Send at (empty: now)', send: 'Send', progress: 'Progress', cron: 'Cron expression',
  nextRuns: 'Next 5 runs', enabled: 'Enabled', runNow: 'Run now', history: 'History', caps: 'Frequency caps', dailyCap: 'Daily cap', weeklyCap: 'Weekly cap',
  quietHours: 'Quiet hours', consentTexts: 'Consent texts', channels: 'Channel status', saved: 'Saved', views: 'Views', purchases: 'Purchases', revenue: 'Revenue', rate: 'Rate',
  name: 'Name', description: 'Description', loading: 'Loading…', none: 'No data yet', followUp: 'Follow', engaged: 'Engaged', viewed: 'Viewed', checkout: 'Checkout', purchase: 'Purchase',
  matched: 'Matched followers', language: '中文',
};

export type Messages = typeof zh;
export const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zh, en };
export const I18nContext = createContext<{ lang: Lang; t: Messages; setLang: (lang: Lang) => void }>({ lang: 'zh-CN', t: zh, setLang: () => undefined });
export const useI18n = () => useContext(I18nContext);
