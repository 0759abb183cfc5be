export { assignVariant, stableUnitHash, type WeightedVariant } from './assign-variant.js';
export { betaCdf, betaQuantile, sampleBeta, sampleGamma, seededRandom, type Random } from './beta-distribution.js';
export { chooseVariantThompson } from './choose-variant-thompson.js';
export { computeExperimentResults, normalCdf, twoProportionZTest, type VariantResult, type VariantStats } from './compute-experiment-results.js';
