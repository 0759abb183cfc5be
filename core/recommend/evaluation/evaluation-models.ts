import { EaseModel } from '../algorithms/ease.js';
import { ItemKnnModel } from '../algorithms/item-knn.js';
import { PopularityModel } from '../algorithms/popularity.js';
import { Rp3BetaModel } from '../algorithms/rp3beta.js';
import { SessionEaseModel } from '../algorithms/session-ease.js';
import type { ModelFamily } from './nested.js';

/**
 * The reference models the offline harness reports beside the served pipeline, each with a short
 * key for `--models` and a small grid that nested selection chooses from on inner validation
 * splits only.
 */
export function evaluationModels(): ModelFamily[] {
  return [
    { key: 'pop', label: 'most-popular', grid: [() => new PopularityModel()] },
    { key: 'knn', label: 'item-knn (k nested)', grid: [50, 100, 200].map((k) => () => new ItemKnnModel({ k })) },
    { key: 'rp3beta', label: 'rp3beta (β nested)', grid: [0.3, 0.5, 0.7].map((beta) => () => new Rp3BetaModel({ k: 100, beta })) },
    { key: 'ease', label: 'ease (λ nested)', grid: [200, 500, 1000].map((lambda) => () => new EaseModel({ lambda })) },
    {
      key: 'session-ease',
      label: 'session-ease (nested)',
      grid: [0.5, 1].flatMap((sessionWeight) => [0, 0.2].map((likeBoost) => () => new SessionEaseModel({ lambda: 500, sessionWeight, sessionTauS: 60, likeBoost }))),
    },
  ];
}
