import { EaseModel } from '../algorithms/ease.js';
import { ItemKnnModel } from '../algorithms/item-knn.js';
import { PopularityModel } from '../algorithms/popularity.js';
import { SessionEaseModel } from '../algorithms/session-ease.js';
import type { TopNModel } from '../algorithms/top-n-model.js';

/** The models the offline harness compares, each with a short key for `--models`. */
export function evaluationModels(): Array<{ key: string; make: () => TopNModel }> {
  return [
    { key: 'pop', make: () => new PopularityModel() },
    { key: 'knn', make: () => new ItemKnnModel({ k: 100 }) },
    { key: 'ease', make: () => new EaseModel({ lambda: 400 }) },
    // Hyper-parameters chosen on fold 1 of ml-100k (5-fold, seed 1): see core/recommend/algorithms/session-ease.ts.
    { key: 'session-ease', make: () => new SessionEaseModel({ lambda: 400, sessionWeight: 0.75, sessionTauS: 60, likeBoost: 0.2 }) },
  ];
}
