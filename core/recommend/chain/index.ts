export { createRecommendationChain, type RecommenderStage } from './recommendation-chain.js';
export { InterestPopularityRecommender, type InterestPopularityDeps } from './interest-popularity.js';
export { NewestOnSaleRecommender } from './newest-on-sale.js';
