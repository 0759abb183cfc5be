export { createHttpApp, type HttpAppDeps, type Mount } from './app.js';
export { HttpError, errorHandler, notFoundHandler, type ErrorBody } from './errors.js';
export { requireBearerToken } from './auth.js';
export { createEventsRouter } from './routes/events.js';
export { createFollowersRouter } from './routes/followers.js';
export { createCoursesRouter, courseListQuery } from './routes/courses.js';
export { createCoreApiRouter, type CoreApiDeps } from './routes/core-api.js';
