import { NotFoundError } from '../errors.js';
import type { Follower } from '../followers/follower.js';
import type { Clock, FollowerRepository, EventRepository } from '../ports/index.js';
import { INTEREST_HALF_LIFE_DAYS } from '../followers/interest.js';
import { computePersona, type Persona } from './compute-persona.js';

export interface GetPersonaDeps {
  followers: Pick<FollowerRepository, 'findById'>;
  events: Pick<EventRepository, 'personaStats'>;
  clock: Clock;
}

/**
 * The persona of one follower, computed from their events now.
 *
 * @example
 * const persona = await getPersona({ followers, events, clock }, followerId);
 * persona.interests[0]; // { tag: 'photography', weight: 1 }
 */
export async function getPersona(deps: GetPersonaDeps, followerId: string): Promise<Persona> {
  const follower = await deps.followers.findById(followerId);
  if (!follower) throw new NotFoundError('follower_not_found', `No follower with id ${followerId}.`);
  return personaOf(deps, follower);
}

/**
 * The persona of a follower the caller has already read (one query fewer than {@link getPersona}).
 *
 * @example
 * const persona = await personaOf({ events, clock }, follower);
 */
export async function personaOf(deps: Omit<GetPersonaDeps, 'followers'>, follower: Pick<Follower, 'id' | 'timeZone'>): Promise<Persona> {
  const now = deps.clock.now();
  const stats = await deps.events.personaStats(follower.id, follower.timeZone, now, INTEREST_HALF_LIFE_DAYS);
  return computePersona(follower.id, follower.timeZone, stats, now);
}
