export { createLearnRouter, type LearnRouteDeps } from './learn-route.js';
