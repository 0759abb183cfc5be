import { churnBandOf, seededRandom, topPercents } from '../../../core/index.js';
import { featureMatrix, fitLogistic, groupActivity, predictLogistic, probabilityReport, standardise, syntheticAudience, trainPropensity } from '../../../core/recommend/index.js';

describe('the logistic model behind propensity and churn risk', () => {
  it('recovers the probabilities of data drawn from a known logistic model', () => {
    const random = seededRandom(5);
    const truth = (x: number[]) => 1 / (1 + Math.exp(-(-0.5 + 1.5 * x[0]! - 2 * x[1]!)));
    const rows = Array.from({ length: 5000 }, () => [random() * 2 - 1, random() * 3]);
    const labels = rows.map((x) => (random() < truth(x) ? 1 : 0));
    const model = fitLogistic(standardise(featureMatrix(rows)), labels, { l2: 1e-4 });
    const probes = [[0, 0], [1, 0.2], [-1, 2.5], [0.5, 1]];
    for (const x of probes) expect(Math.abs(predictLogistic(model, x) - truth(x))).toBeLessThan(0.04);
  });

  it('stays finite on separable data, where unpenalised Newton steps would run away', () => {
    const rows = [[0], [1], [2], [3], [10], [11], [12], [13]];
    const labels = [0, 0, 0, 0, 1, 1, 1, 1];
    const model = fitLogistic(standardise(featureMatrix(rows)), labels, { l2: 1e-4 });
    expect(Number.isFinite(model.bias) && model.weights.every(Number.isFinite)).toBe(true);
    expect(predictLogistic(model, [12])).toBeGreaterThan(0.9);
    expect(predictLogistic(model, [1])).toBeLessThan(0.1);
  });

  it('standardises only the first rows it is told to, with a 1 before each row for the bias', () => {
    const matrix = featureMatrix([[1, 10], [3, 10], [100, -5]]);
    const firstTwo = standardise(matrix, 2);
    expect(firstTwo.mean).toEqual([2, 10]);
    expect(firstTwo.scale).toEqual([1, 1]);
    expect(Array.from(firstTwo.x)).toEqual([1, -1, 0, 1, 1, 0]);
    expect(standardise(matrix).rows).toBe(3);
  });

  it('reports AUC, Brier score and a reliability table by decile', () => {
    const report = probabilityReport([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]);
    expect(report.auc).toBe(1);
    expect(report.brier).toBeCloseTo((0.01 + 0.04 + 0.04 + 0.01) / 4, 10);
    expect(report.reliability.reduce((n, b) => n + b.count, 0)).toBe(4);
    expect(probabilityReport([0.5, 0.5], [1, 1]).auc).toBeNull();
  });

  it('words churn bands and top-percent places from one definition', () => {
    expect([0.1, 0.3, 0.59, 0.6].map(churnBandOf)).toEqual(['low', 'medium', 'medium', 'high']);
    expect(topPercents([0.9, 0.1, 0.5, 0.2])).toEqual([25, 100, 50, 75]);
  });

  it('fits both models on a synthetic audience, and says why when there are too few buyers', () => {
    const audience = syntheticAudience({ followers: 600, days: 120, seed: 9 });
    const artifact = trainPropensity(groupActivity(audience.events), audience.courses, audience.end);
    expect(artifact.validation.purchase.report!.auc).toBeGreaterThan(0.75);
    expect(artifact.validation.churn.report!.auc).toBeGreaterThan(0.9);
    const tiny = syntheticAudience({ followers: 4, days: 120, seed: 9 });
    const none = trainPropensity(groupActivity(tiny.events), tiny.courses, tiny.end);
    expect(none.purchase).toBeNull();
    expect(none.validation.purchase.skipped).toMatch(/at least 3 of each are needed/);
  });
});
