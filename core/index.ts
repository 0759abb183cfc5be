export * from './errors.js';
export * from './events/index.js';
export * from './persona/index.js';
export * from './ports/index.js';
export * from './text/index.js';
export * from './catalog/course.js';
export * from './followers/follower.js';
export * from './orders/order.js';
