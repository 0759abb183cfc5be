import type { Lang } from './i18n.ts';
import type { ResultsTexts } from './pages/results-table.tsx';

/** The recommender experiments page's texts; the results table's words are replaced so it counts followers shown, not messages sent. */
const zh = {
  help: '给推荐系统做线上实验：每位同意个性化推荐的粉丝固定分到一个变体，在 Telegram、微信和小程序里看到的推荐都来自这个变体。粉丝点击、下单或购买了推荐给他的课程（在归因窗口内），就算作这个变体的一次转化。同一时间只能运行一个实验。',
  newExperiment: '新建推荐实验', name: '实验名称', attributionHours: '归因窗口（小时）', variant: '变体 {key}', control: '（对照组）', label: '简短名称（可选）',
  share: '流量占比（%）', ranker: '排序方式', rankerServed: '当前上线的模型', rankerBlend: '未训练的信号加权混合', diversity: '多样性（0–1，留空与线上相同；越小越多样）',
  generatorsOn: '开启的候选来源', weights: '调整权重（留空不变）', addVariant: '添加变体', removeVariant: '移除', create: '创建（草稿）',
  sharesMustAddUp: '各变体的流量占比加起来要等于 100%，现在是 {sum}%。', created: '已创建推荐实验 {name}', started: '已开始：{name}', stopped: '已停止：{name}',
  start: '开始实验', stop: '停止实验', status: { draft: '草稿', running: '运行中', stopped: '已停止' } as Record<string, string>,
  window: '归因窗口 {hours} 小时', startedAt: '开始于 {at}', stoppedAt: '停止于 {at}', none: '还没有推荐实验。', loading: '加载中…',
  minSample: '每个变体至少有 {min} 位粉丝看到推荐之前，不判断胜负。', variantHeader: '变体',
  outcomes: '各变体的点击、下单、购买与收入', lists: '展示的推荐列表', clicks: '点击', checkouts: '下单', purchases: '购买', revenue: '收入', noRevenue: '—',
  results: {
    sent: '看到推荐的粉丝', verdictNothingSent: '还没有粉丝看到实验中的推荐，暂无结果。',
    verdictTooEarly: '现在下结论还太早：每个变体至少要有 {min} 位粉丝看到推荐才会判断胜负，变体 {variant} 才有 {sent} 位。继续运行。',
    verdictOne: '只有一个变体：{sent} 位粉丝看到推荐，{conversions} 位转化（{rate}）。',
    verdictWinner: '{best} 胜出：可以停止实验，把 {best} 的配置用于所有粉丝。', verdictLikely: '{best} 很可能更好；继续运行以确认。', verdictUnclear: '两者还看不出明显差别；继续运行。',
  } satisfies ResultsTexts,
};

const en: typeof zh = {
  help: 'Online experiments on the recommender: each follower who allows personalised recommendations is kept in one variant, and every recommendation they see on Telegram, WeChat and the mini-program comes from it. A click, checkout or purchase of a course it recommended to them, within the attribution window, counts as a conversion for that variant. One experiment runs at a time.',
  newExperiment: 'New recommender experiment', name: 'Experiment name', attributionHours: 'Attribution window (hours)', variant: 'Variant {key}', control: ' (control)', label: 'Short name (optional)',
  share: 'Share of followers (%)', ranker: 'Ranking', rankerServed: 'The model in production', rankerBlend: 'The untrained blend of signals', diversity: 'Diversity (0–1, empty: as in production; lower is more varied)',
  generatorsOn: 'Candidate sources on', weights: 'Change weights (empty: unchanged)', addVariant: 'Add a variant', removeVariant: 'Remove', create: 'Create (as a draft)',
  sharesMustAddUp: 'The variants’ shares must add up to 100%; they add up to {sum}%.', created: 'Created the recommender experiment {name}', started: 'Started: {name}', stopped: 'Stopped: {name}',
  start: 'Start the experiment', stop: 'Stop the experiment', status: { draft: 'Draft', running: 'Running', stopped: 'Stopped' } as Record<string, string>,
  window: 'Attribution window: {hours} hours', startedAt: 'Started {at}', stoppedAt: 'Stopped {at}', none: 'No recommender experiments yet.', loading: 'Loading…',
  minSample: 'No winner is called before {min} followers per variant have been shown recommendations.', variantHeader: 'Variant',
  outcomes: 'Clicks, checkouts, purchases and revenue per variant', lists: 'Recommendation lists shown', clicks: 'Clicks', checkouts: 'Checkouts', purchases: 'Purchases', revenue: 'Revenue', noRevenue: '—',
  results: {
    sent: 'Followers shown', verdictNothingSent: 'No follower has been shown the experiment’s recommendations yet, so no results.',
    verdictTooEarly: 'Too early to tell: a winner is called only after {min} followers per variant have been shown recommendations, and variant {variant} has {sent}. Keep it running.',
    verdictOne: 'One variant: {sent} followers shown, {conversions} converted ({rate}).',
    verdictWinner: '{best} wins: stop the experiment and serve {best}’s configuration to everyone.', verdictLikely: '{best} is probably better; keep it running to be sure.', verdictUnclear: 'No clear difference yet; keep it running.',
  },
};

export const RECOMMENDER_EXPERIMENT_MESSAGES: Record<Lang, typeof zh> = { 'zh-CN': zh, en };
