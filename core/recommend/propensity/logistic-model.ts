/** A fitted logistic model over standardised features: p = σ(bias + Σ wᵢ·(xᵢ − meanᵢ)/scaleᵢ). */
export interface LogisticModel {
  weights: number[];
  bias: number;
  mean: number[];
  scale: number[];
  /** L2 penalty it was fitted with (on the standardised weights, per example). */
  l2: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Feature rows in one flat row-major array: a quarter-million rows as arrays of numbers cost ~3× as much. */
export interface FeatureMatrix {
  values: Float64Array;
  rows: number;
  columns: number;
}

/** Feature rows standardised (zero mean, unit scale), each after a 1 for the bias, ready to fit. */
export interface StandardisedRows {
  /** `rows` × (`columns` + 1), row-major. */
  x: Float64Array;
  rows: number;
  columns: number;
  mean: number[];
  scale: number[];
}

/**
 * The probability a logistic model gives one feature row.
 *
 * @example
 * predictLogistic(model, [0.7, 2.3, 0, 1.1]); // 0.18
 */
export function predictLogistic(model: LogisticModel, row: ArrayLike<number>): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++) z += model.weights[j]! * ((row[j]! - model.mean[j]!) / model.scale[j]!);
  return sigmoid(z);
}

/**
 * Rows given as arrays, as one {@link FeatureMatrix}.
 *
 * @example
 * featureMatrix([[1, 0.5], [3, 0]]); // { values: Float64Array [1, 0.5, 3, 0], rows: 2, columns: 2 }
 */
export function featureMatrix(rows: readonly (readonly number[])[]): FeatureMatrix {
  const columns = rows[0]?.length ?? 0;
  const values = new Float64Array(rows.length * columns);
  rows.forEach((row, i) => values.set(row, i * columns));
  return { values, rows: rows.length, columns };
}

/**
 * The first `count` rows of a matrix standardised once, so every fit on them (each L2 penalty of a
 * grid, each target) shares one copy.
 *
 * @example
 * const x = standardise(matrix); fitLogistic(x, labels, { l2: 0.01 });
 */
export function standardise(matrix: FeatureMatrix, count = matrix.rows): StandardisedRows {
  const { values, columns: d } = matrix;
  const n = count;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += values[i * d + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j]! += (values[i * d + j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]!) || 1;
  const p = d + 1;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    x[i * p] = 1;
    for (let j = 0; j < d; j++) x[i * p + 1 + j] = (values[i * d + j]! - mean[j]!) / scale[j]!;
  }
  return { x, rows: n, columns: d, mean, scale };
}

/**
 * Fits an L2-regularised logistic regression by Newton's method (iteratively reweighted least
 * squares), exact and fast for a dozen features: each step is one pass over the rows and one small
 * linear solve. The bias is not penalised.
 *
 * @example
 * const model = fitLogistic(standardise(featureMatrix(rows)), labels, { l2: 0.01 });
 */
export function fitLogistic(rows: StandardisedRows, labels: ArrayLike<number>, options: { l2: number; maxIterations?: number }): LogisticModel {
  const { x, rows: n, mean, scale } = rows;
  const p = rows.columns + 1;
  let beta = new Array<number>(p).fill(0);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  beta[0] = Math.log((positives + 0.5) / (n - positives + 0.5));
  const penalty = options.l2 * n;
  const objective = (b: readonly number[]) => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < p; j++) z += b[j]! * x[i * p + j]!;
      // log σ(z) for a positive, log σ(−z) for a negative, without overflow.
      const signed = labels[i] ? z : -z;
      total -= signed >= 0 ? Math.log1p(Math.exp(-signed)) : -signed + Math.log1p(Math.exp(signed));
    }
    for (let j = 1; j < p; j++) total -= (penalty / 2) * b[j]! ** 2;
    return total;
  };
  for (let iteration = 0; iteration < (options.maxIterations ?? 50); iteration++) {
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      const at = i * p;
      let z = 0;
      for (let j = 0; j < p; j++) z += beta[j]! * x[at + j]!;
      const mu = sigmoid(z);
      const w = Math.max(mu * (1 - mu), 1e-9);
      const residual = labels[i]! - mu;
      for (let j = 0; j < p; j++) {
        gradient[j]! += residual * x[at + j]!;
        const hj = hessian[j]!;
        for (let k = j; k < p; k++) hj[k]! += w * x[at + j]! * x[at + k]!;
      }
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) hessian[j]![k] = hessian[k]![j]!;
    for (let j = 1; j < p; j++) {
      gradient[j]! -= penalty * beta[j]!;
      hessian[j]![j]! += penalty;
    }
    const step = solve(hessian, gradient);
    // Newton's step can overshoot far from the optimum: halve it until the penalised log
    // likelihood does not get worse.
    const before = objective(beta);
    let scaleOfStep = 1;
    let next = beta.map((b, j) => b + step[j]!);
    while (objective(next) < before - 1e-12 && scaleOfStep > 1e-6) {
      scaleOfStep /= 2;
      next = beta.map((b, j) => b + scaleOfStep * step[j]!);
    }
    beta = next;
    if (Math.max(...step.map(Math.abs)) * scaleOfStep < 1e-7) break;
  }
  return { bias: beta[0]!, weights: beta.slice(1), mean: [...mean], scale: [...scale], l2: options.l2 };
}

/** Solves A·x = b for a small symmetric positive-definite A (Gaussian elimination, partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const head = m[c]!;
    if (Math.abs(head[c]!) < 1e-12) continue;
    for (let r = c + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[c]! / head[c]!;
      if (f !== 0) for (let k = c; k <= n; k++) row[k]! -= f * head[k]!;
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    if (Math.abs(row[r]!) < 1e-12) continue;
    let s = row[n]!;
    for (let k = r + 1; k < n; k++) s -= row[k]! * out[k]!;
    out[r] = s / row[r]!;
  }
  return out;
}
