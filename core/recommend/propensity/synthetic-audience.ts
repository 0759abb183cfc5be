import type { EventKind } from '../../events/event-types.js';
import type { ActivityEvent } from '../../ports/index.js';
import { seededRandom, type Random } from '../../random.js';
import type { PricedCourse } from './propensity-features.js';

/** A simulated audience whose true probabilities are known, for evaluating the propensity models. */
export interface SyntheticAudience {
  events: ActivityEvent[];
  courses: Map<string, PricedCourse>;
  /** The last simulated instant. */
  end: Date;
  /** The true probabilities, from each follower's hidden state at `cutoff`: a purchase, and no activity, within `horizonDays`. */
  truth(cutoff: Date, horizonDays: number): Map<string, { purchase: number; churn: number }>;
}

interface Member {
  id: string;
  joinDay: number;
  /** The day they leave for good (may be past the end). */
  leaveDay: number;
  eventsPerDay: number;
  buyPerDay: number;
  leavePerDay: number;
}

const DAY_MS = 86_400_000;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function poisson(random: Random, mean: number): number {
  let k = 0;
  for (let p = Math.exp(-mean), s = p, u = random(); u > s && k < 200; k++) {
    p *= mean / (k + 1);
    s += p;
  }
  return k;
}

/**
 * Simulates `followers` over `days`: each has a hidden activity rate, purchase rate (tied to their
 * taste for clicking and to their price band) and a daily chance of leaving for good; while they
 * stay they view, click, message, check out, buy and, once owners, complete lessons. Because the
 * hidden rates are known, `truth` gives each follower's real probability of buying, and of doing
 * nothing, in a window, so a model's AUC and calibration can be set against the best possible.
 *
 * @example
 * const audience = syntheticAudience({ followers: 3000, days: 180, seed: 1 });
 */
export function syntheticAudience(options: { followers: number; days: number; seed: number; start?: Date }): SyntheticAudience {
  const random = seededRandom(options.seed);
  const start = (options.start ?? new Date('2026-01-01T00:00:00Z')).getTime();
  const courses = new Map<string, PricedCourse>();
  const courseIds: string[] = [];
  for (let c = 0; c < 24; c++) {
    const id = `course-${c}`;
    courses.set(id, { priceMinor: [4_900, 19_900, 59_900][c % 3]!, currency: 'CNY' });
    courseIds.push(id);
  }
  const members: Member[] = [];
  const events: ActivityEvent[] = [];
  let nextId = 1;
  const push = (followerId: string, kind: EventKind, day: number, courseId: string | null) =>
    events.push({ id: nextId++, followerId, kind, courseId, occurredAt: new Date(start + (day + random()) * DAY_MS) });
  for (let i = 0; i < options.followers; i++) {
    const activity = normal(random);
    const taste = normal(random);
    const band = Math.floor(random() * 3);
    const eventsPerDay = Math.exp(-0.8 + 0.8 * activity);
    const member: Member = {
      id: `follower-${i}`,
      joinDay: Math.floor(random() * options.days * 0.8),
      leaveDay: Infinity,
      eventsPerDay,
      buyPerDay: sigmoid(-5.2 + 1.1 * taste + 0.5 * activity - 0.3 * band),
      leavePerDay: sigmoid(-4.8 - 0.7 * activity + 0.3 * normal(random)),
    };
    members.push(member);
    push(member.id, 'follow', member.joinDay, null);
    const clickShare = sigmoid(-1 + 0.8 * taste);
    const owned = new Set<string>();
    for (let day = member.joinDay; day < options.days; day++) {
      if (day > member.joinDay && random() < member.leavePerDay) {
        member.leaveDay = day;
        break;
      }
      const n = poisson(random, member.eventsPerDay);
      for (let e = 0; e < n; e++) {
        const course = courseIds[band + 3 * Math.floor(random() * 8)]!;
        const roll = random();
        if (roll < 0.15) push(member.id, 'message', day, null);
        else if (owned.size > 0 && roll < 0.35) push(member.id, 'lesson_complete', day, [...owned][Math.floor(random() * owned.size)]!);
        else push(member.id, random() < clickShare ? 'click' : 'view', day, course);
      }
      if (random() < member.buyPerDay) {
        const course = courseIds[band + 3 * Math.floor(random() * 8)]!;
        push(member.id, 'checkout', day, course);
        push(member.id, 'purchase', day, course);
        owned.add(course);
      } else if (random() < member.buyPerDay * 0.5) {
        push(member.id, 'checkout', day, courseIds[band + 3 * Math.floor(random() * 8)]!);
      }
    }
  }
  events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  events.forEach((e, i) => (e.id = i + 1));
  const truth = (cutoff: Date, horizonDays: number) => {
    const cutoffDay = (cutoff.getTime() - start) / DAY_MS;
    const out = new Map<string, { purchase: number; churn: number }>();
    for (const m of members) {
      if (m.joinDay >= cutoffDay) continue;
      // Someone who has left does nothing again; for someone still here, the days they stay
      // within the window are geometric (memoryless), and each day they stay they buy with
      // buyPerDay and are silent with e^(−eventsPerDay)·(1 − buyPerDay) (the check-out-only days are rare and ignored).
      if (m.leaveDay <= cutoffDay) {
        out.set(m.id, { purchase: 0, churn: 1 });
        continue;
      }
      let noPurchase = 0;
      let silent = 0;
      const stay = 1 - m.leavePerDay;
      const quietDay = Math.exp(-m.eventsPerDay) * (1 - m.buyPerDay);
      for (let k = 0; k <= horizonDays; k++) {
        const exactlyK = k < horizonDays ? stay ** k * m.leavePerDay : stay ** horizonDays;
        noPurchase += exactlyK * (1 - m.buyPerDay) ** k;
        silent += exactlyK * quietDay ** k;
      }
      out.set(m.id, { purchase: 1 - noPurchase, churn: silent });
    }
    return out;
  };
  return { events, courses, end: new Date(start + options.days * DAY_MS), truth };
}
