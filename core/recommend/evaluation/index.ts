export { rankingMetrics, meanMetrics, type RankingMetrics } from './metrics.js';
export { globalTimeSplit, kFoldSplit, temporalSplit, type Fold, type InteractionTable } from './split.js';
export { parseInteractions } from './parse-interactions.js';
export { evaluateModel, type ModelReport, type EvaluateOptions } from './evaluate.js';
export { evaluationModels } from './evaluation-models.js';
export { evaluateNested, innerSplit, type ModelFamily, type Protocol } from './nested.js';
export { evaluateServedPipeline, type ServedReport, type ServedVariant } from './served-pipeline.js';
export { movieLensCourses } from './movielens-catalogue.js';
