import type { Csr } from '../data/csr.js';
import type { InteractionContext, TopNModel } from './top-n-model.js';

/**
 * A weighted sum of several models' scores, each scaled per user by its largest absolute score so
 * the weights compare like with like.
 *
 * @example
 * const blend = new BlendModel([[new EaseModel({ lambda: 300 }), 1], [new ItemKnnModel({ k: 100 }), 0.2]]);
 */
export class BlendModel implements TopNModel {
  readonly name: string;
  private scratch = new Float64Array(0);

  constructor(private readonly parts: ReadonlyArray<readonly [TopNModel, number]>) {
    this.name = `blend(${parts.map(([m, w]) => `${w}×${m.name}`).join(' + ')})`;
  }

  fit(train: Csr, context?: InteractionContext): void {
    for (const [model] of this.parts) model.fit(train, context);
    this.scratch = new Float64Array(train.nCols);
  }

  scoreHistory(history: ArrayLike<number>, out: Float64Array, historyRatings?: ArrayLike<number>): void {
    out.fill(0);
    for (const [model, weight] of this.parts) {
      model.scoreHistory(history, this.scratch, historyRatings);
      let max = 0;
      for (let i = 0; i < this.scratch.length; i++) max = Math.max(max, Math.abs(this.scratch[i]!));
      if (max === 0) continue;
      const f = weight / max;
      for (let i = 0; i < out.length; i++) out[i]! += f * this.scratch[i]!;
    }
  }
}
