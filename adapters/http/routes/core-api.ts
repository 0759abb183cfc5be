import { Router } from 'express';
import type { Clock, CourseRepository, EventRepository, FollowerRepository, RecordEventsDeps } from '../../../core/index.js';
import { createCoursesRouter } from './courses.js';
import { createEventsRouter } from './events.js';
import { createFollowersRouter } from './followers.js';

export interface CoreApiDeps {
  recordEventsDeps: RecordEventsDeps;
  followers: FollowerRepository;
  events: EventRepository;
  courses: CourseRepository;
  clock: Clock;
}

/** The foundation's admin API: events, personas and the catalogue, mounted under /api. */
export function createCoreApiRouter(deps: CoreApiDeps): Router {
  const router = Router();
  router.use(createEventsRouter(deps.recordEventsDeps));
  router.use(createFollowersRouter({ followers: deps.followers, events: deps.events, clock: deps.clock }));
  router.use(createCoursesRouter({ courses: deps.courses }));
  return router;
}
