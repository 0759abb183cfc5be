export * from './repositories.js';
export * from './runtime.js';
export * from './messenger.js';
export * from './recommender.js';
export * from './orders.js';
export * from './dialog-memory.js';
export * from './language-model.js';
