import { confirmPayment, createPendingOrder, recordEvents, seededRandom, type Clock, type EventInput, type Platform, type RiskMonitor, type UnitOfWork } from '../../core/index.js';
import type { Db } from '../database.js';
import { createRepositories, PgUnitOfWork } from '../repositories/pg-unit-of-work.js';

const NAMES = ['小林', '阿杰', 'Mia', '王磊', 'Leo', '陈静', 'Ava', '周周', 'Sam', '李想', 'Nina', '老张', 'Ken', '晓雨', 'Zoe', '大卫'];
const ZONES = ['Asia/Shanghai', 'Asia/Shanghai', 'Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Singapore', 'Europe/London', 'America/New_York'];
const MESSAGES_ZH = ['有没有摄影课？', '想学Python数据分析', '理财怎么入门', '推荐一下课程', '雅思口语有课吗', '多少钱？'];
const MESSAGES_EN = ['any photography courses?', 'I want to learn python', 'how do I start investing', 'recommend something', 'price?'];
const PLATFORMS: Array<{ platform: Platform; kind: 'telegram' | 'wechat' | 'mp_openid' }> = [
  { platform: 'telegram', kind: 'telegram' },
  { platform: 'wechat', kind: 'wechat' },
  { platform: 'miniprogram', kind: 'mp_openid' },
];

export interface DemoAudienceDeps {
  db: Db;
  clock: Clock;
  /** The risk scorer to record through (the risk benchmark replays the demo audience through it). */
  risk?: RiskMonitor;
}

/**
 * Seeds a demo audience once: followers on Telegram, WeChat and the mini-program with follows,
 * views, clicks, messages, checkouts and paid orders over the last 60 days, clustered by interest
 * so personas, recommendations and the console's charts have something real to show. Does
 * nothing when the demo followers exist already. Returns how many followers were added.
 *
 * @example
 * await seedDemoAudience({ db, clock: systemClock }, { followers: 240 });
 */
export async function seedDemoAudience(deps: DemoAudienceDeps, options: { followers: number; seed?: number } = { followers: 240 }): Promise<number> {
  const repos = createRepositories(deps.db);
  if (await repos.followers.findByIdentity('telegram', 'demo-0')) return 0;
  const { items: courses } = await repos.courses.list({ page: 1, pageSize: 100, status: 'on_sale' });
  if (courses.length === 0) return 0;
  const byTag = new Map<string, typeof courses>();
  for (const course of courses) for (const tag of course.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), course]);
  const tags = [...byTag.keys()];
  const rand = seededRandom(options.seed ?? 7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const now = deps.clock.now().getTime();
  const uow: UnitOfWork = new PgUnitOfWork(deps.db);
  const metrics = { eventsRecorded: () => undefined };
  const eventDeps = { uow, clock: deps.clock, metrics, ...(deps.risk ? { risk: deps.risk } : {}) };

  for (let i = 0; i < options.followers; i++) {
    const channel = PLATFORMS[i % PLATFORMS.length]!;
    const isEnglish = rand() < 0.3;
    const identity = {
      kind: channel.kind,
      externalId: channel.kind === 'telegram' ? `demo-${i}` : `demo-${channel.kind}-${i}`,
      displayName: pick(NAMES),
      locale: isEnglish ? ('en' as const) : ('zh-CN' as const),
      timeZone: pick(ZONES),
    };
    // Followers joined over the last 60 days; a third went quiet.
    const joinedAt = now - rand() * 60 * 86_400_000;
    const lastActive = rand() < 0.33 ? joinedAt + rand() * (now - joinedAt) * 0.3 : now - rand() * 5 * 86_400_000;
    const at = () => new Date(Math.min(now, joinedAt + rand() * Math.max(0, lastActive - joinedAt)));
    const interests = [pick(tags), pick(tags)];
    const events: EventInput[] = [{ kind: 'follow', platform: channel.platform, externalId: `demo:${i}:follow`, identity, occurredAt: new Date(joinedAt) }];
    const viewed = new Set<string>();
    const sessions = 1 + Math.floor(rand() * 8);
    for (let s = 0; s < sessions; s++) {
      const pool = byTag.get(rand() < 0.8 ? interests[s % 2]! : pick(tags))!;
      const course = pick(pool);
      viewed.add(course.id);
      const when = at();
      events.push({ kind: 'view', platform: channel.platform, externalId: `demo:${i}:view:${s}`, identity, courseId: course.id, occurredAt: when });
      if (rand() < 0.45) events.push({ kind: 'click', platform: channel.platform, externalId: `demo:${i}:click:${s}`, identity, courseId: course.id, occurredAt: new Date(when.getTime() + 60_000) });
      if (rand() < 0.25) events.push({ kind: 'message', platform: channel.platform, externalId: `demo:${i}:msg:${s}`, identity, payload: { text: isEnglish ? pick(MESSAGES_EN) : pick(MESSAGES_ZH) }, occurredAt: when });
    }
    const [first] = await recordEvents(eventDeps, events);
    if (!first || first.status === 'rejected') continue;
    const followerId = first.followerId;
    await repos.followers.update(followerId, { hasMarketingConsent: rand() < 0.7 });

    for (const courseId of viewed) {
      const roll = rand();
      if (roll > 0.3) continue;
      const when = at();
      const provider = channel.platform === 'telegram' ? 'telegram_stars' : 'wechat_pay';
      const { order } = await createPendingOrder({ uow, clock: deps.clock }, { followerId, courseId, provider });
      await recordEvents(eventDeps, [
        { kind: 'checkout', platform: channel.platform, externalId: `demo:${i}:checkout:${courseId}`, followerId, courseId, payload: { orderId: order.id }, occurredAt: when },
      ]);
      // About half of the checkouts are paid; the rest stay abandoned for retargeting to find.
      if (roll < 0.15) {
        await confirmPayment(
          { uow, clock: deps.clock },
          { orderId: order.id, provider, providerChargeId: `demo-charge-${order.id}`, amountMinor: order.amountMinor, currency: order.currency, paidAt: new Date(when.getTime() + 120_000) },
        );
      }
    }
  }
  return options.followers;
}
