export * from './http/index.js';
export * from './observability/index.js';
export * from './runtime/index.js';
