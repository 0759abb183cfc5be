import type { Principal } from '../accounts/account.js';
import { NotFoundError } from '../errors.js';
import type { Follower } from '../followers/follower.js';
import type { LifecycleStage } from '../followers/lifecycle.js';
import { personaOf } from '../persona/get-persona.js';
import type { PriceBand } from '../persona/compute-persona.js';
import type { Clock, CourseRepository, EntitlementRepository, EventRepository, FollowerRepository, Page } from '../ports/index.js';
import { tagName } from '../text/tag-names.js';
import type { HandoffInbox, HandoffStatus, InboxItem, StaffMessage } from './handoff.js';

/** How far before a hand-off opened the thread shows the follower's messages (what led to it). */
const THREAD_LOOKBACK_MS = 24 * 3_600_000;
const THREAD_FOLLOWER_TEXTS = 100;

/** Whether a caller may see a hand-off: admins every one, a creator those about their own courses. */
export function canSeeHandoff(principal: Principal, handoff: Pick<InboxItem, 'creatorId'>): boolean {
  return principal.role === 'admin' || (principal.id !== null && principal.id === handoff.creatorId);
}

/**
 * The hand-off with this id if the caller may see it; another creator's answers exactly like a
 * missing one, so a creator cannot learn which ids exist.
 *
 * @example
 * const handoff = await visibleHandoff(inbox, principal, id); // throws NotFoundError otherwise
 */
export async function visibleHandoff(inbox: Pick<HandoffInbox, 'findById'>, principal: Principal, id: string): Promise<InboxItem> {
  const handoff = await inbox.findById(id);
  if (!handoff || !canSeeHandoff(principal, handoff)) throw new NotFoundError('handoff_not_found', `No hand-off with id ${id}.`);
  return handoff;
}

/** An inbox row with how long the follower has waited, in whole seconds (null: not waiting). */
export type InboxEntry = InboxItem & { waitingSeconds: number | null };

const withWait = (item: InboxItem, now: Date): InboxEntry => ({
  ...item,
  waitingSeconds: item.waitingSince ? Math.max(0, Math.floor((now.getTime() - item.waitingSince.getTime()) / 1000)) : null,
});

/**
 * The inbox: hand-offs in these statuses (not closed by default), waiting ones first with the
 * longest wait first, each with its waiting time; a creator sees only theirs.
 *
 * @example
 * const page = await listInbox({ inbox, clock }, principal, { statuses: ['open', 'answered'], page: 1, pageSize: 50 });
 * page.items[0].waitingSeconds // 754
 */
export async function listInbox(
  deps: { inbox: Pick<HandoffInbox, 'list'>; clock: Clock },
  principal: Principal,
  query: { statuses: readonly HandoffStatus[]; page: number; pageSize: number },
): Promise<Page<InboxEntry>> {
  const page = await deps.inbox.list({ ...query, ...(principal.role === 'admin' ? {} : { creatorId: principal.id ?? '00000000-0000-0000-0000-000000000000' }) });
  const now = deps.clock.now();
  return { ...page, items: page.items.map((item) => withWait(item, now)) };
}

/** Who the follower is, for the person answering: facts the console puts into words in either language. */
export interface HandoffFollower {
  id: string;
  displayName: string | null;
  locale: Follower['locale'];
  lifecycle: LifecycleStage;
  /** The strongest interests with their names in both languages. */
  interests: Array<{ tag: string; zh: string; en: string; weight: number }>;
  priceBand: PriceBand;
  ownedCourses: Array<{ id: string; zh: string; en: string }>;
  finishedCourses: number;
  lastSeenAt: Date | null;
  isOptedOut: boolean;
  hasMarketingConsent: boolean;
}

/** One line of a thread: something the follower wrote, or a staff reply with how its send went. */
export type ThreadMessage =
  | { from: 'follower'; at: Date; text: string }
  | { from: 'staff'; at: Date; text: string; author: string; status: StaffMessage['status']; error: string | null; clientKey: string };

export interface HandoffThread {
  handoff: InboxEntry;
  follower: HandoffFollower;
  messages: ThreadMessage[];
}

export interface ReadThreadDeps {
  inbox: Pick<HandoffInbox, 'findById' | 'staffMessages' | 'followerTexts'>;
  followers: Pick<FollowerRepository, 'findById'>;
  events: Pick<EventRepository, 'personaStats'>;
  entitlements: EntitlementRepository;
  courses: Pick<CourseRepository, 'findById'>;
  clock: Clock;
}

/**
 * One hand-off as the inbox shows it: the follower's persona in short, and the messages — what
 * the follower wrote (from the event log, from a day before it opened) and the staff replies — in
 * time order.
 *
 * @example
 * const { follower, messages } = await readThread(deps, principal, id);
 */
export async function readThread(deps: ReadThreadDeps, principal: Principal, id: string): Promise<HandoffThread> {
  const handoff = await visibleHandoff(deps.inbox, principal, id);
  const follower = await deps.followers.findById(handoff.followerId);
  if (!follower) throw new NotFoundError('follower_not_found', `The follower of hand-off ${id} was erased.`);
  const [persona, owned, texts, staff] = await Promise.all([
    personaOf({ events: deps.events, clock: deps.clock }, follower),
    deps.entitlements.ownedCourseIds(follower.id),
    deps.inbox.followerTexts(follower.id, new Date(handoff.openedAt.getTime() - THREAD_LOOKBACK_MS), THREAD_FOLLOWER_TEXTS),
    deps.inbox.staffMessages(handoff.id),
  ]);
  const ownedCourses = (await Promise.all([...owned].map((courseId) => deps.courses.findById(courseId)))).flatMap((c) => (c ? [{ id: c.id, zh: c.titleZh, en: c.titleEn }] : []));
  const messages: ThreadMessage[] = [
    ...texts.map((t): ThreadMessage => ({ from: 'follower', at: t.at, text: t.text })),
    ...staff.map((m): ThreadMessage => ({ from: 'staff', at: m.sentAt ?? m.createdAt, text: m.text, author: m.author, status: m.status, error: m.error, clientKey: m.clientKey })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    handoff: withWait(handoff, deps.clock.now()),
    follower: {
      id: follower.id,
      displayName: follower.displayName,
      locale: follower.locale,
      lifecycle: persona.lifecycle,
      interests: persona.interests.slice(0, 5).map((i) => ({ tag: i.tag, zh: tagName(i.tag, 'zh-CN'), en: tagName(i.tag, 'en'), weight: i.weight })),
      priceBand: persona.priceBand,
      ownedCourses,
      finishedCourses: persona.learning.finishedCourses,
      lastSeenAt: follower.lastSeenAt,
      isOptedOut: follower.isOptedOut,
      hasMarketingConsent: follower.hasMarketingConsent,
    },
    messages,
  };
}
