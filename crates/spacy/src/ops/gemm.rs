//! Matrix products against fixed weights, packed once at load time.
//!
//! Every dense layer of the pipeline computes `c = a · wᵀ (+ bias)` where
//! `w` is a weight matrix (`n × k`, row-major, as thinc stores it) and `a`
//! is a small batch of rows. [`PackedMatrix`] stores `w` as column panels of
//! [`NR`] outputs (`k × NR` floats each, zero-padded), so the product never
//! re-packs the weights and reads `a` in place (any row stride, which lets
//! the window encoder read overlapping rows without building `seq2col`).
//!
//! Kernels: AVX-512F (two panels × 12 rows), AVX2+FMA (one panel × 6
//! rows), chosen at run time, with a portable fallback. Each output is one
//! sequential multiply-add chain over `k` (fused on the SIMD paths and
//! wherever the target has hardware FMA), then the bias is added, so a
//! row's result does not depend on the batch it is computed in.
//! `EVENTLINE_SPACY_ISA=avx2|scalar` forces a narrower kernel (for tests).

use std::sync::OnceLock;

/// Outputs per packed panel.
pub const NR: usize = 16;

/// The instruction set a kernel runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isa {
    /// AVX-512F.
    Avx512,
    /// AVX2 with FMA.
    Avx2,
    /// Portable Rust.
    Scalar,
}

/// The best kernel for this CPU (or the one forced by
/// `EVENTLINE_SPACY_ISA`), detected once.
pub fn isa() -> Isa {
    static ISA: OnceLock<Isa> = OnceLock::new();
    *ISA.get_or_init(|| {
        let forced = std::env::var("EVENTLINE_SPACY_ISA").ok();
        let best = detect();
        match forced.as_deref() {
            Some("scalar") => Isa::Scalar,
            Some("avx2") if best != Isa::Scalar => Isa::Avx2,
            _ => best,
        }
    })
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Isa {
    if is_x86_feature_detected!("avx512f") {
        Isa::Avx512
    } else if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        Isa::Avx2
    } else {
        Isa::Scalar
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Isa {
    Isa::Scalar
}

/// A weight matrix `w` (`n × k`) with an optional bias, packed for
/// `c = a · wᵀ + bias`.
#[derive(Debug, Clone)]
pub struct PackedMatrix {
    n: usize,
    k: usize,
    /// `ceil(n / NR)` panels of `k × NR`.
    panels: Vec<f32>,
    /// The bias padded to whole panels, or empty.
    bias: Vec<f32>,
}

impl PackedMatrix {
    /// Packs `w` (`n × k`, row-major) and an optional bias of length `n`.
    pub fn new(n: usize, k: usize, w: &[f32], bias: Option<&[f32]>) -> Self {
        assert!(w.len() >= n * k, "weights shorter than n × k");
        let np = n.div_ceil(NR);
        let mut panels = vec![0.0f32; np * k * NR];
        for j in 0..n {
            let (panel, col) = (j / NR, j % NR);
            let base = panel * k * NR;
            for p in 0..k {
                panels[base + p * NR + col] = w[j * k + p];
            }
        }
        let bias = match bias {
            Some(b) => {
                assert!(b.len() >= n, "bias shorter than n");
                let mut v = vec![0.0f32; np * NR];
                v[..n].copy_from_slice(&b[..n]);
                v
            }
            None => Vec::new(),
        };
        PackedMatrix { n, k, panels, bias }
    }

    /// Packs `w` with its output rows reordered: output `j` of the packed
    /// matrix is row `order[j]` of `w` (and of `bias`).
    pub fn with_row_order(k: usize, w: &[f32], bias: Option<&[f32]>, order: &[usize]) -> Self {
        let mut rw = Vec::with_capacity(order.len() * k);
        for &r in order {
            rw.extend_from_slice(&w[r * k..(r + 1) * k]);
        }
        let rb: Option<Vec<f32>> = bias.map(|b| order.iter().map(|&r| b[r]).collect());
        Self::new(order.len(), k, &rw, rb.as_deref())
    }

    /// Number of outputs (`n`).
    pub fn n(&self) -> usize {
        self.n
    }

    /// Input width (`k`).
    pub fn k(&self) -> usize {
        self.k
    }

    /// `c[i·n + j] = Σ_p a[i·lda + p] · w[j][p] + bias[j]` for `i < m`:
    /// row `i` of the input starts at `a[i·lda]` (rows may overlap when
    /// `lda < k`); `c` is `m × n` row-major and is overwritten.
    pub fn matmul(&self, m: usize, a: &[f32], lda: usize, c: &mut [f32]) {
        if m == 0 || self.n == 0 {
            return;
        }
        assert!(a.len() >= (m - 1) * lda + self.k, "input too short");
        assert!(c.len() >= m * self.n, "output too short");
        match isa() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: the CPU supports AVX-512F (detected), and the bounds of
            // `a` and `c` were checked above; the kernels read `a` rows
            // `i·lda .. i·lda + k` for `i < m` and write `c[..m·n]`.
            Isa::Avx512 => unsafe { x86::matmul_avx512(self, m, a.as_ptr(), lda, c.as_mut_ptr()) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above, with AVX2 and FMA detected.
            Isa::Avx2 => unsafe { x86::matmul_avx2(self, m, a.as_ptr(), lda, c.as_mut_ptr()) },
            _ => self.matmul_scalar(m, a, lda, c),
        }
    }

    fn matmul_scalar(&self, m: usize, a: &[f32], lda: usize, c: &mut [f32]) {
        let (n, k) = (self.n, self.k);
        for i in 0..m {
            let row = &a[i * lda..i * lda + k];
            let out = &mut c[i * n..(i + 1) * n];
            for panel in 0..n.div_ceil(NR) {
                let pw = &self.panels[panel * k * NR..(panel + 1) * k * NR];
                let mut acc = [0.0f32; NR];
                for (p, &av) in row.iter().enumerate() {
                    let b = &pw[p * NR..(p + 1) * NR];
                    for (s, &bv) in acc.iter_mut().zip(b) {
                        *s = madd(av, bv, *s);
                    }
                }
                let j0 = panel * NR;
                let cols = NR.min(n - j0);
                for (q, s) in acc.iter().take(cols).enumerate() {
                    out[j0 + q] = if self.bias.is_empty() {
                        *s
                    } else {
                        *s + self.bias[j0 + q]
                    };
                }
            }
        }
    }
}

/// `a·b + c` for the portable kernel: fused where the target has FMA in
/// hardware (then it matches the SIMD kernels bit for bit), else a separate
/// multiply and add (a software fused multiply-add is ~100× slower).
#[inline(always)]
fn madd(a: f32, b: f32, c: f32) -> f32 {
    #[cfg(any(target_arch = "aarch64", target_feature = "fma"))]
    {
        a.mul_add(b, c)
    }
    #[cfg(not(any(target_arch = "aarch64", target_feature = "fma")))]
    {
        a * b + c
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{NR, PackedMatrix};
    use std::arch::x86_64::*;

    /// Rows per AVX-512 micro-kernel call.
    const MR512: usize = 12;
    /// Panels per AVX-512 micro-kernel call.
    const NP512: usize = 2;
    /// Rows per AVX2 micro-kernel call.
    const MR256: usize = 6;

    /// Stores `NP` panels of accumulators for one row, adding the bias and
    /// keeping only the valid columns of a partial last panel.
    #[target_feature(enable = "avx512f")]
    #[inline]
    unsafe fn store_row512<const NP: usize>(
        acc: &[__m512; NP],
        bias: *const f32,
        dst: *mut f32,
        cols: usize,
    ) {
        for (q, &v) in acc.iter().enumerate() {
            // SAFETY: `bias` (when non-null) holds whole panels; `dst` has
            // `cols` writable floats (checked by the caller).
            unsafe {
                let v = if bias.is_null() {
                    v
                } else {
                    _mm512_add_ps(v, _mm512_loadu_ps(bias.add(q * NR)))
                };
                let valid = cols.saturating_sub(q * NR).min(NR);
                if valid == NR {
                    _mm512_storeu_ps(dst.add(q * NR), v);
                } else if valid > 0 {
                    let mask: __mmask16 = ((1u32 << valid) - 1) as __mmask16;
                    _mm512_mask_storeu_ps(dst.add(q * NR), mask, v);
                }
            }
        }
    }

    /// `MR` rows × `NP` panels, full depth.
    #[target_feature(enable = "avx512f")]
    #[inline]
    #[allow(clippy::too_many_arguments)]
    unsafe fn kernel512<const MR: usize, const NP: usize>(
        k: usize,
        a: *const f32,
        lda: usize,
        b: *const f32,
        bias: *const f32,
        c: *mut f32,
        ldc: usize,
        cols: usize,
    ) {
        let mut acc = [[_mm512_setzero_ps(); NP]; MR];
        let pstride = k * NR;
        for p in 0..k {
            let mut bv = [_mm512_setzero_ps(); NP];
            for (q, v) in bv.iter_mut().enumerate() {
                // SAFETY: panel `q` has `k × NR` floats.
                *v = unsafe { _mm512_loadu_ps(b.add(q * pstride + p * NR)) };
            }
            for (r, row) in acc.iter_mut().enumerate() {
                // SAFETY: row `r` of `a` has `k` floats from `r·lda`.
                let av = unsafe { _mm512_set1_ps(*a.add(r * lda + p)) };
                for (s, &v) in row.iter_mut().zip(&bv) {
                    *s = _mm512_fmadd_ps(av, v, *s);
                }
            }
        }
        for (r, row) in acc.iter().enumerate() {
            // SAFETY: row `r` of `c` has `cols` writable floats.
            unsafe { store_row512::<NP>(row, bias, c.add(r * ldc), cols) };
        }
    }

    #[target_feature(enable = "avx512f")]
    #[allow(clippy::too_many_arguments)]
    unsafe fn rows512<const NP: usize>(
        mr: usize,
        k: usize,
        a: *const f32,
        lda: usize,
        b: *const f32,
        bias: *const f32,
        c: *mut f32,
        ldc: usize,
        cols: usize,
    ) {
        // SAFETY: forwarded from `matmul_avx512`.
        unsafe {
            match mr {
                12 => kernel512::<12, NP>(k, a, lda, b, bias, c, ldc, cols),
                11 => kernel512::<11, NP>(k, a, lda, b, bias, c, ldc, cols),
                10 => kernel512::<10, NP>(k, a, lda, b, bias, c, ldc, cols),
                9 => kernel512::<9, NP>(k, a, lda, b, bias, c, ldc, cols),
                8 => kernel512::<8, NP>(k, a, lda, b, bias, c, ldc, cols),
                7 => kernel512::<7, NP>(k, a, lda, b, bias, c, ldc, cols),
                6 => kernel512::<6, NP>(k, a, lda, b, bias, c, ldc, cols),
                5 => kernel512::<5, NP>(k, a, lda, b, bias, c, ldc, cols),
                4 => kernel512::<4, NP>(k, a, lda, b, bias, c, ldc, cols),
                3 => kernel512::<3, NP>(k, a, lda, b, bias, c, ldc, cols),
                2 => kernel512::<2, NP>(k, a, lda, b, bias, c, ldc, cols),
                _ => kernel512::<1, NP>(k, a, lda, b, bias, c, ldc, cols),
            }
        }
    }

    /// AVX-512 product; see [`PackedMatrix::matmul`] for the contract.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn matmul_avx512(
        pm: &PackedMatrix,
        m: usize,
        a: *const f32,
        lda: usize,
        c: *mut f32,
    ) {
        let (n, k) = (pm.n, pm.k);
        let np = n.div_ceil(NR);
        let mut i = 0;
        while i < m {
            let mr = MR512.min(m - i);
            let mut j = 0;
            while j < np {
                let group = NP512.min(np - j);
                let j0 = j * NR;
                let cols = n - j0;
                // SAFETY: panels `j .. j + group` exist; rows `i..i + mr`
                // are in bounds; columns past `n` are masked off.
                unsafe {
                    let b = pm.panels.as_ptr().add(j * k * NR);
                    let bias = if pm.bias.is_empty() {
                        std::ptr::null()
                    } else {
                        pm.bias.as_ptr().add(j0)
                    };
                    let ap = a.add(i * lda);
                    let cp = c.add(i * n + j0);
                    match group {
                        3 => rows512::<3>(mr, k, ap, lda, b, bias, cp, n, cols),
                        2 => rows512::<2>(mr, k, ap, lda, b, bias, cp, n, cols),
                        _ => rows512::<1>(mr, k, ap, lda, b, bias, cp, n, cols),
                    }
                }
                j += group;
            }
            i += mr;
        }
    }

    /// `MR` rows × one panel (two 8-lane halves), full depth.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    #[allow(clippy::too_many_arguments)]
    unsafe fn kernel256<const MR: usize>(
        k: usize,
        a: *const f32,
        lda: usize,
        b: *const f32,
        bias: *const f32,
        c: *mut f32,
        ldc: usize,
        cols: usize,
    ) {
        let mut acc = [[_mm256_setzero_ps(); 2]; MR];
        for p in 0..k {
            // SAFETY: the panel has `k × NR` floats.
            let (b0, b1) = unsafe {
                (
                    _mm256_loadu_ps(b.add(p * NR)),
                    _mm256_loadu_ps(b.add(p * NR + 8)),
                )
            };
            for (r, row) in acc.iter_mut().enumerate() {
                // SAFETY: row `r` of `a` has `k` floats from `r·lda`.
                let av = unsafe { _mm256_set1_ps(*a.add(r * lda + p)) };
                row[0] = _mm256_fmadd_ps(av, b0, row[0]);
                row[1] = _mm256_fmadd_ps(av, b1, row[1]);
            }
        }
        for (r, row) in acc.iter().enumerate() {
            let mut tile = [0.0f32; NR];
            // SAFETY: `tile` has NR floats; `bias` (when non-null) one panel.
            unsafe {
                let (mut v0, mut v1) = (row[0], row[1]);
                if !bias.is_null() {
                    v0 = _mm256_add_ps(v0, _mm256_loadu_ps(bias));
                    v1 = _mm256_add_ps(v1, _mm256_loadu_ps(bias.add(8)));
                }
                if cols >= NR {
                    _mm256_storeu_ps(c.add(r * ldc), v0);
                    _mm256_storeu_ps(c.add(r * ldc + 8), v1);
                    continue;
                }
                _mm256_storeu_ps(tile.as_mut_ptr(), v0);
                _mm256_storeu_ps(tile.as_mut_ptr().add(8), v1);
                std::ptr::copy_nonoverlapping(tile.as_ptr(), c.add(r * ldc), cols);
            }
        }
    }

    /// AVX2 product; see [`PackedMatrix::matmul`] for the contract.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn matmul_avx2(
        pm: &PackedMatrix,
        m: usize,
        a: *const f32,
        lda: usize,
        c: *mut f32,
    ) {
        let (n, k) = (pm.n, pm.k);
        let np = n.div_ceil(NR);
        let mut i = 0;
        while i < m {
            let mr = MR256.min(m - i);
            for j in 0..np {
                let j0 = j * NR;
                let cols = n - j0;
                // SAFETY: as in `matmul_avx512`.
                unsafe {
                    let b = pm.panels.as_ptr().add(j * k * NR);
                    let bias = if pm.bias.is_empty() {
                        std::ptr::null()
                    } else {
                        pm.bias.as_ptr().add(j0)
                    };
                    let ap = a.add(i * lda);
                    let cp = c.add(i * n + j0);
                    match mr {
                        6 => kernel256::<6>(k, ap, lda, b, bias, cp, n, cols),
                        5 => kernel256::<5>(k, ap, lda, b, bias, cp, n, cols),
                        4 => kernel256::<4>(k, ap, lda, b, bias, cp, n, cols),
                        3 => kernel256::<3>(k, ap, lda, b, bias, cp, n, cols),
                        2 => kernel256::<2>(k, ap, lda, b, bias, cp, n, cols),
                        _ => kernel256::<1>(k, ap, lda, b, bias, cp, n, cols),
                    }
                }
            }
            i += mr;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(
        m: usize,
        n: usize,
        k: usize,
        a: &[f32],
        lda: usize,
        w: &[f32],
        b: &[f32],
    ) -> Vec<f32> {
        let mut c = vec![0.0f32; m * n];
        for i in 0..m {
            for j in 0..n {
                let mut s = 0.0f64;
                for p in 0..k {
                    s += f64::from(a[i * lda + p]) * f64::from(w[j * k + p]);
                }
                c[i * n + j] = s as f32 + b[j];
            }
        }
        c
    }

    #[test]
    fn packed_matmul_matches_naive_for_odd_shapes() {
        for &(m, n, k, lda) in &[
            (1, 1, 1, 1),
            (3, 50, 96, 96),
            (9, 33, 7, 7),
            (17, 288, 288, 96),
            (8, 64, 5, 5),
            (13, 16, 20, 20),
        ] {
            let a: Vec<f32> = (0..(m - 1) * lda + k)
                .map(|i| ((i * 37 % 23) as f32 - 11.0) * 0.125)
                .collect();
            let w: Vec<f32> = (0..n * k)
                .map(|i| ((i * 53 % 29) as f32 - 14.0) * 0.0625)
                .collect();
            let b: Vec<f32> = (0..n).map(|i| i as f32 * 0.5).collect();
            let want = naive(m, n, k, &a, lda, &w, &b);
            let pm = PackedMatrix::new(n, k, &w, Some(&b));
            let mut c = vec![f32::NAN; m * n + 3];
            pm.matmul(m, &a, lda, &mut c);
            for (x, y) in c.iter().zip(&want) {
                assert!((x - y).abs() < 1e-3, "{m}x{n}x{k}: {x} vs {y}");
            }
            assert!(
                c[m * n..].iter().all(|v| v.is_nan()),
                "wrote past the output"
            );
            let mut s = vec![0.0f32; m * n];
            pm.matmul_scalar(m, &a, lda, &mut s);
            for (x, y) in s.iter().zip(&want) {
                assert!((x - y).abs() < 1e-3, "scalar {m}x{n}x{k}: {x} vs {y}");
            }
        }
    }

    /// The tok2vec computes each distinct token once and copies it, which
    /// is exact only if a row's output does not depend on its batch.
    #[test]
    fn rows_do_not_depend_on_the_batch() {
        let (n, k) = (40, 37);
        let w: Vec<f32> = (0..n * k)
            .map(|i| ((i * 7919) % 1000) as f32 / 997.0 - 0.5)
            .collect();
        let a: Vec<f32> = (0..23 * k)
            .map(|i| ((i * 104_729) % 1000) as f32 / 991.0 - 0.5)
            .collect();
        let pm = PackedMatrix::new(n, k, &w, Some(&a[..n]));
        let mut all = vec![0.0f32; 23 * n];
        pm.matmul(23, &a, k, &mut all);
        for i in 0..23 {
            let mut one = vec![0.0f32; n];
            pm.matmul(1, &a[i * k..], k, &mut one);
            assert_eq!(one, all[i * n..(i + 1) * n].to_vec(), "row {i}");
        }
    }

    #[test]
    fn row_order_permutes_outputs() {
        let w = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
        let pm = PackedMatrix::with_row_order(2, &w, Some(&[0.0, 10.0, 20.0]), &[2, 0, 1]);
        let mut c = [0.0; 3];
        pm.matmul(1, &[2.0, 3.0], 2, &mut c);
        assert_eq!(c, [25.0, 2.0, 13.0]);
    }
}
