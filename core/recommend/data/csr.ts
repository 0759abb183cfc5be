/** A sparse matrix in compressed sparse row form: row r's columns are `indices[indptr[r]..indptr[r+1])`, sorted. */
export interface Csr {
  nRows: number;
  nCols: number;
  indptr: Int32Array;
  indices: Int32Array;
  /** One value per stored entry; absent means every stored entry is 1. */
  values: Float32Array | null;
}

/**
 * Builds a CSR matrix from coordinate pairs; duplicate (row, col) pairs are summed (or kept as 1 when
 * `values` is absent). Columns within a row come out sorted.
 *
 * @example
 * const m = csrFromPairs(2, 3, Int32Array.of(0, 1), Int32Array.of(2, 0)); // m.indices = [2, 0]
 */
export function csrFromPairs(nRows: number, nCols: number, rows: ArrayLike<number>, cols: ArrayLike<number>, values?: ArrayLike<number>): Csr {
  const counts = new Int32Array(nRows + 1);
  for (let e = 0; e < rows.length; e++) counts[rows[e]! + 1]! += 1;
  for (let r = 0; r < nRows; r++) counts[r + 1]! += counts[r]!;
  const cursor = counts.slice(0, nRows);
  const rawCols = new Int32Array(rows.length);
  const rawVals = new Float32Array(rows.length);
  for (let e = 0; e < rows.length; e++) {
    const at = cursor[rows[e]!]!++;
    rawCols[at] = cols[e]!;
    rawVals[at] = values ? values[e]! : 1;
  }
  const indptr = new Int32Array(nRows + 1);
  const indices = new Int32Array(rows.length);
  const outVals = new Float32Array(rows.length);
  let n = 0;
  for (let r = 0; r < nRows; r++) {
    const start = counts[r]!;
    const end = counts[r + 1]!;
    const order = Array.from({ length: end - start }, (_, j) => start + j).sort((a, b) => rawCols[a]! - rawCols[b]!);
    let last = -1;
    for (const at of order) {
      const c = rawCols[at]!;
      if (c === last) {
        if (values) outVals[n - 1]! += rawVals[at]!;
        continue;
      }
      indices[n] = c;
      outVals[n] = rawVals[at]!;
      last = c;
      n++;
    }
    indptr[r + 1] = n;
  }
  return { nRows, nCols, indptr, indices: indices.slice(0, n), values: values ? outVals.slice(0, n) : null };
}

/** The transpose (item × user from user × item). */
export function transpose(m: Csr): Csr {
  const rows = new Int32Array(m.indices.length);
  for (let r = 0; r < m.nRows; r++) for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) rows[p] = r;
  return csrFromPairs(m.nCols, m.nRows, m.indices, rows, m.values ?? undefined);
}

/** The stored columns of one row. */
export function rowOf(m: Csr, r: number): Int32Array {
  return m.indices.subarray(m.indptr[r]!, m.indptr[r + 1]!);
}
