/**
 * Rows [from, to) of C = A × B for n×n row-major matrices of uint32, wrapping modulo 2^32 (the
 * arrays are Int32Array for speed; their bits are the uint32 values). Exact integer arithmetic, so
 * every machine gets the same bits. Order i-k-j, four rows of A at a time: the inner loop walks a
 * row of B and four rows of C sequentially and loads each element of B once for four products.
 */
export function multiplyRows(A: Int32Array, B: Int32Array, C: Int32Array, n: number, from: number, to: number): void {
  C.fill(0, from * n, to * n)
  let i = from
  for (; i + 4 <= to; i += 4) {
    const c0 = i * n
    const c1 = c0 + n
    const c2 = c1 + n
    const c3 = c2 + n
    for (let k = 0; k < n; k++) {
      const a0 = A[c0 + k]
      const a1 = A[c1 + k]
      const a2 = A[c2 + k]
      const a3 = A[c3 + k]
      const bk = k * n
      for (let j = 0; j < n; j++) {
        const b = B[bk + j]
        C[c0 + j] = (C[c0 + j] + Math.imul(a0, b)) | 0
        C[c1 + j] = (C[c1 + j] + Math.imul(a1, b)) | 0
        C[c2 + j] = (C[c2 + j] + Math.imul(a2, b)) | 0
        C[c3 + j] = (C[c3 + j] + Math.imul(a3, b)) | 0
      }
    }
  }
  for (; i < to; i++) {
    const ci = i * n
    for (let k = 0; k < n; k++) {
      const a = A[ci + k]
      const bk = k * n
      for (let j = 0; j < n; j++) C[ci + j] = (C[ci + j] + Math.imul(a, B[bk + j])) | 0
    }
  }
}
