/**
 * The synthetic course catalogue of the recommender benchmarks: `events` (follower, course) pairs,
 * followers uniform, courses in 50 topic clusters with Zipf-like popularity (70 % of a follower's
 * events inside their topic). Seeded, so every run and every benchmark sees the same matrix.
 */
import { seededRandom } from '../core/recommend/index.js';

export interface SyntheticCatalogue {
  /** Follower index of each event. */
  users: Int32Array;
  /** Course index of each event. */
  items: Int32Array;
}

const TOPICS = 50;

/**
 * @example
 * const { users, items } = syntheticInteractions({ users: 50_000, items: 10_000, events: 1_000_000 });
 */
export function syntheticInteractions(size: { users: number; items: number; events: number }, seed = 42): SyntheticCatalogue {
  const random = seededRandom(seed);
  const users = new Int32Array(size.events);
  const items = new Int32Array(size.events);
  const userTopic = Int32Array.from({ length: size.users }, () => Math.floor(random() * TOPICS));
  const perTopic = Math.floor(size.items / TOPICS);
  for (let e = 0; e < size.events; e++) {
    const u = Math.floor(random() * size.users);
    users[e] = u;
    // 70% inside the user's topic, Zipf-like within it; 30% anywhere, Zipf-like overall.
    const zipf = Math.floor(Math.pow(random(), 2.5) * (random() < 0.7 ? perTopic : size.items));
    items[e] = random() < 0.7 ? userTopic[u]! * perTopic + (zipf % perTopic) : zipf % size.items;
  }
  return { users, items };
}
