export { rankingMetrics, meanMetrics, type RankingMetrics } from './metrics.js';
export { kFoldSplit, temporalSplit, type Fold, type InteractionTable } from './split.js';
export { parseInteractions } from './parse-interactions.js';
export { evaluateModel, type ModelReport, type EvaluateOptions } from './evaluate.js';
export { evaluationModels } from './evaluation-models.js';
