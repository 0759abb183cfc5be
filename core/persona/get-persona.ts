import { NotFoundError } from '../errors.js';
import type { Clock, FollowerRepository, EventRepository } from '../ports/index.js';
import { computePersona, INTEREST_HALF_LIFE_DAYS, type Persona } from './compute-persona.js';

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
  const now = deps.clock.now();
  const stats = await deps.events.personaStats(follower.id, follower.timeZone, now, INTEREST_HALF_LIFE_DAYS);
  return computePersona(follower.id, follower.timeZone, stats, now);
}
