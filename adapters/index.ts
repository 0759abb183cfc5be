export * from './http/index.js';
export * from './observability/index.js';
