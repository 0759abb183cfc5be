export { assignVariant, stableUnitHash, type WeightedVariant } from './assign-variant.js';
export { betaCdf, betaQuantile, sampleBeta, sampleGamma, seededRandom, type Random } from './beta-distribution.js';
export { chooseVariantThompson } from './choose-variant-thompson.js';
export { computeExperimentResults, normalCdf, twoProportionZTest, type VariantResult, type VariantStats } from './compute-experiment-results.js';
export {
  configurationVocabulary, describeConfiguration, recommenderExperimentInputSchema, RECOMMENDER_EXPERIMENT_STATUSES, RECOMMENDER_VARIANT_KEYS, toVariants,
  type RecommenderExperiment, type RecommenderExperimentInput, type RecommenderExperimentStatus, type RecommenderVariant,
} from './recommender-experiment.js';
export type {
  RecommenderExperimentRepository, RecommenderExposure, RecommenderExposureStore, RecommenderVariantOutcome, StartOutcome,
} from './recommender-experiment-ports.js';
export { createRecommenderExperiment } from './create-recommender-experiment.js';
export { controlRecommenderExperiment, findManagedRecommenderExperiment } from './control-recommender-experiment.js';
export { getRecommenderExperimentResults } from './get-recommender-experiment-results.js';
export { createExperimentingRecommender, variantOf, type ExperimentingRecommender, type ExperimentingRecommenderDeps } from './experimenting-recommender.js';
export { ExposureLog, type ExposureLogOptions } from './exposure-log.js';
