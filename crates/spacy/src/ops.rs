//! Numeric kernels for inference: matrix products against packed weights
//! ([`gemm`]), fused maxout + layer normalization, the HashEmbed row sums,
//! argmax, softmax, and per-thread scratch buffers. All work on row-major
//! `f32` slices and run on the calling thread.
//!
//! Element-wise loops are written once and compiled twice, for the baseline
//! target and for AVX2 (chosen at run time with [`gemm::isa`]); they keep
//! one evaluation order, so both builds give the same bits.

pub mod gemm;

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};

use gemm::Isa;

thread_local! {
    static POOL: RefCell<Vec<Vec<f32>>> = const { RefCell::new(Vec::new()) };
}

/// Most floats a thread keeps pooled (32 MB); larger buffers are freed.
const POOL_MAX_FLOATS: usize = 1 << 23;
/// Most buffers a thread keeps pooled.
const POOL_MAX_BUFFERS: usize = 8;

/// A per-thread reusable `f32` buffer; its contents on creation are
/// unspecified (zeros or values left by an earlier use), so callers must
/// write before reading. Dropping it returns the memory to the thread's pool
/// (up to `POOL_MAX_FLOATS` in all).
#[derive(Debug)]
pub struct ScratchBuf {
    v: Vec<f32>,
    len: usize,
}

/// Takes a buffer of `len` floats from the calling thread's pool (the
/// smallest one that fits, else the largest, grown).
pub fn scratch(len: usize) -> ScratchBuf {
    let mut v = POOL
        .with(|p| {
            let mut p = p.borrow_mut();
            let fit = p
                .iter()
                .enumerate()
                .filter(|(_, b)| b.len() >= len)
                .min_by_key(|(_, b)| b.len())
                .or_else(|| p.iter().enumerate().max_by_key(|(_, b)| b.len()))
                .map(|(i, _)| i);
            fit.map(|i| p.swap_remove(i))
        })
        .unwrap_or_default();
    if v.len() < len {
        v.resize(len, 0.0);
    }
    ScratchBuf { v, len }
}

impl Deref for ScratchBuf {
    type Target = [f32];
    fn deref(&self) -> &[f32] {
        &self.v[..self.len]
    }
}

impl DerefMut for ScratchBuf {
    fn deref_mut(&mut self) -> &mut [f32] {
        &mut self.v[..self.len]
    }
}

impl Drop for ScratchBuf {
    fn drop(&mut self) {
        let v = std::mem::take(&mut self.v);
        // `try_with`: the pool may already be gone while a thread exits.
        let _ = POOL.try_with(|p| {
            let mut p = p.borrow_mut();
            let pooled: usize = p.iter().map(Vec::len).sum();
            if p.len() < POOL_MAX_BUFFERS && pooled + v.len() <= POOL_MAX_FLOATS {
                p.push(v);
            }
        });
    }
}

/// Runs `$body` (an `#[inline(always)]` function call) compiled for
/// AVX-512F or AVX2 when the CPU has it (per [`gemm::isa`]), else for the
/// baseline target.
macro_rules! multiversion {
    (fn $name:ident($($arg:ident: $ty:ty),* $(,)?) => $body:ident) => {
        fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx2,fma")]
                unsafe fn wider($($arg: $ty),*) {
                    $body($($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                unsafe fn wide($($arg: $ty),*) {
                    $body($($arg),*)
                }
                match gemm::isa() {
                    // SAFETY: AVX-512F was detected at run time.
                    Isa::Avx512 => return unsafe { wider($($arg),*) },
                    // SAFETY: AVX2 and FMA were detected at run time.
                    Isa::Avx2 => return unsafe { wide($($arg),*) },
                    Isa::Scalar => {}
                }
            }
            $body($($arg),*)
        }
    };
}

/// Maxout over pieces laid out piece-major (`x` holds `n_pieces` blocks of
/// `out.len()` values: piece 0 of every output, then piece 1, ...).
#[inline(always)]
fn maxout_pm_body(x: &[f32], out: &mut [f32]) {
    #[inline(always)]
    fn pick(best: f32, p: f32) -> f32 {
        if p > best { p } else { best }
    }
    let w = out.len();
    match x.len() / w.max(1) {
        2 => {
            for ((o, &a), &b) in out.iter_mut().zip(&x[..w]).zip(&x[w..2 * w]) {
                *o = pick(a, b);
            }
        }
        3 => {
            for (((o, &a), &b), &c) in out
                .iter_mut()
                .zip(&x[..w])
                .zip(&x[w..2 * w])
                .zip(&x[2 * w..3 * w])
            {
                *o = pick(pick(a, b), c);
            }
        }
        _ => {
            out.copy_from_slice(&x[..w]);
            for piece in x[w..].chunks_exact(w) {
                for (o, &p) in out.iter_mut().zip(piece) {
                    *o = pick(*o, p);
                }
            }
        }
    }
}

/// thinc's `LayerNorm` statistics of one row: `(mean, 1/sqrt(var + 1e-8))`,
/// accumulated in `f64` over 8 interleaved partial sums.
#[inline(always)]
fn ln_stats(row: &[f32]) -> (f32, f32) {
    let w = row.len();
    let mut s = [0.0f64; 8];
    let chunks = row.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, &v) in s.iter_mut().zip(c) {
            *a += f64::from(v);
        }
    }
    for (a, &v) in s.iter_mut().zip(rest) {
        *a += f64::from(v);
    }
    let sum = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    let mu = (sum / w as f64) as f32;
    let mut q = [0.0f64; 8];
    let chunks = row.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, &v) in q.iter_mut().zip(c) {
            let d = f64::from(v - mu);
            *a += d * d;
        }
    }
    for (a, &v) in q.iter_mut().zip(rest) {
        let d = f64::from(v - mu);
        *a += d * d;
    }
    let sq = ((q[0] + q[4]) + (q[1] + q[5])) + ((q[2] + q[6]) + (q[3] + q[7]));
    let var = (sq / w as f64) as f32 + 1e-8;
    (mu, var.powf(-0.5))
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn maxout_ln_body(
    h: &[f32],
    n_pieces: usize,
    g: &[f32],
    b: &[f32],
    dst: &mut [f32],
    residual: bool,
    tmp: &mut [f32],
) {
    let w = g.len();
    for (hrow, drow) in h.chunks_exact(w * n_pieces).zip(dst.chunks_exact_mut(w)) {
        maxout_pm_body(hrow, tmp);
        let (mu, scale) = ln_stats(tmp);
        if residual {
            for (((d, &v), &gi), &bi) in drow.iter_mut().zip(tmp.iter()).zip(g).zip(b) {
                *d += (v - mu) * scale * gi + bi;
            }
        } else {
            for (((d, &v), &gi), &bi) in drow.iter_mut().zip(tmp.iter()).zip(g).zip(b) {
                *d = (v - mu) * scale * gi + bi;
            }
        }
    }
}

multiversion!(fn maxout_ln_dispatch(
    h: &[f32],
    n_pieces: usize,
    g: &[f32],
    b: &[f32],
    dst: &mut [f32],
    residual: bool,
    tmp: &mut [f32],
) => maxout_ln_body);

/// Maxout then thinc's `LayerNorm`, row by row: each row of `h` holds
/// `n_pieces` blocks of `g.len()` values (piece-major); the normalized
/// `(m - mean) / sqrt(var + 1e-8) · g + b` is written to the matching row
/// of `dst`, or added to it when `residual`.
pub fn maxout_layer_norm(
    h: &[f32],
    n_pieces: usize,
    g: &[f32],
    b: &[f32],
    dst: &mut [f32],
    residual: bool,
) {
    let mut tmp = vec![0.0f32; g.len()];
    maxout_ln_dispatch(h, n_pieces, g, b, dst, residual, &mut tmp);
}

multiversion!(fn maxout_pm_dispatch(x: &[f32], out: &mut [f32]) => maxout_pm_body);

/// Maxout over pieces laid out piece-major: `x` holds `n_pieces` blocks of
/// `out.len()` values.
pub fn maxout_piece_major(x: &[f32], out: &mut [f32]) {
    maxout_pm_dispatch(x, out);
}

/// Columns `c0 .. c0 + B` of [`sum_at_offsets`], in a register-sized block.
#[inline(always)]
fn sum_offsets_block<const B: usize>(
    data: &[f32],
    offsets: &[usize],
    bias: &[f32],
    out: &mut [f32],
    c0: usize,
) {
    let mut acc = [0.0f32; B];
    for &o in offsets {
        for (s, &v) in acc.iter_mut().zip(&data[o + c0..o + c0 + B]) {
            *s += v;
        }
    }
    for (s, &b) in acc.iter_mut().zip(&bias[c0..c0 + B]) {
        *s += b;
    }
    out[c0..c0 + B].copy_from_slice(&acc);
}

#[inline(always)]
fn sum_offsets_body(data: &[f32], offsets: &[usize], bias: &[f32], out: &mut [f32]) {
    let w = out.len();
    let mut c0 = 0;
    while c0 + 64 <= w {
        sum_offsets_block::<64>(data, offsets, bias, out, c0);
        c0 += 64;
    }
    while c0 + 16 <= w {
        sum_offsets_block::<16>(data, offsets, bias, out, c0);
        c0 += 16;
    }
    while c0 < w {
        sum_offsets_block::<1>(data, offsets, bias, out, c0);
        c0 += 1;
    }
}

multiversion!(fn sum_offsets_dispatch(
    data: &[f32],
    offsets: &[usize],
    bias: &[f32],
    out: &mut [f32],
) => sum_offsets_body);

/// `out = ((0 + data[o₀..]) + data[o₁..] + ...) + bias`: the rows of
/// `data` starting at each offset (each `out.len()` long), summed in order
/// from zero, then the bias added.
pub fn sum_at_offsets(data: &[f32], offsets: &[usize], bias: &[f32], out: &mut [f32]) {
    sum_offsets_dispatch(data, offsets, bias, out);
}

#[inline(always)]
fn sum_rows_body(table: &[f32], dim: usize, rows: &[u32], dst: &mut [f32]) {
    dst.fill(0.0);
    for &r in rows {
        let r = r as usize;
        let src = &table[r * dim..(r + 1) * dim];
        for (d, &s) in dst.iter_mut().zip(src) {
            *d += s;
        }
    }
}

multiversion!(fn sum_rows_dispatch(table: &[f32], dim: usize, rows: &[u32], dst: &mut [f32]) => sum_rows_body);

/// `dst = Σ table[r]` over the rows `rows` of a `dim`-wide table, summed
/// in order starting from zeros (thinc's `HashEmbed` forward for one id).
pub fn sum_rows(table: &[f32], dim: usize, rows: &[u32], dst: &mut [f32]) {
    sum_rows_dispatch(table, dim, rows, dst);
}

/// Hints the CPU to fetch `len` floats from `data` into cache.
#[inline]
pub fn prefetch(data: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        for line in data.chunks(16) {
            // SAFETY: prefetching is a hint and never faults; the address is
            // inside `data`.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(line.as_ptr().cast()) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}

#[inline(always)]
fn add_rows_body(acc: &mut [f32], src: &[f32]) {
    for (d, &s) in acc.iter_mut().zip(src) {
        *d += s;
    }
}

multiversion!(fn add_rows_dispatch(acc: &mut [f32], src: &[f32]) => add_rows_body);

/// `acc[i] += src[i]`.
pub fn add_assign(acc: &mut [f32], src: &[f32]) {
    add_rows_dispatch(acc, src);
}

/// Columns `c0 .. c0 + B` of `out = x · wt` (`nc` columns), accumulated in
/// a register-sized block; within a column the sum runs over `x` in order.
#[inline(always)]
fn vec_mat_block<const B: usize>(out: &mut [f32], x: &[f32], wt: &[f32], nc: usize, c0: usize) {
    let mut acc = [0.0f32; B];
    for (h, &xv) in x.iter().enumerate() {
        let wrow = &wt[h * nc + c0..h * nc + c0 + B];
        for (s, &w) in acc.iter_mut().zip(wrow) {
            *s += xv * w;
        }
    }
    out[c0..c0 + B].copy_from_slice(&acc);
}

#[inline(always)]
fn axpy_rows_body(out: &mut [f32], x: &[f32], wt: &[f32]) {
    let nc = out.len();
    let mut c0 = 0;
    while c0 + 64 <= nc {
        vec_mat_block::<64>(out, x, wt, nc, c0);
        c0 += 64;
    }
    while c0 + 16 <= nc {
        vec_mat_block::<16>(out, x, wt, nc, c0);
        c0 += 16;
    }
    while c0 < nc {
        vec_mat_block::<1>(out, x, wt, nc, c0);
        c0 += 1;
    }
}

multiversion!(fn axpy_rows_dispatch(out: &mut [f32], x: &[f32], wt: &[f32]) => axpy_rows_body);

/// `out = x · wt` for a row vector `x` and `wt` of `x.len() × out.len()`
/// (row-major), accumulated over `x` in order with separate multiply and
/// add (so each output is the same sequence of roundings on every CPU).
pub fn vec_mat(out: &mut [f32], x: &[f32], wt: &[f32]) {
    axpy_rows_dispatch(out, x, wt);
}

/// Index of the first maximum of `x` (`None` if empty).
pub fn argmax(x: &[f32]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &v) in x.iter().enumerate() {
        match best {
            Some(b) if v <= x[b] => {}
            _ => best = Some(i),
        }
    }
    best
}

/// Softmax in place over one row.
pub fn softmax(x: &mut [f32]) {
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in x.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in x.iter_mut() {
        *v /= sum;
    }
}

/// The order that makes maxout weights piece-major: thinc stores a maxout
/// layer's outputs as `(n_out, n_pieces)`; entry `p·n_out + o` of the
/// result is the original row `o·n_pieces + p`.
pub fn piece_major_order(n_out: usize, n_pieces: usize) -> Vec<usize> {
    (0..n_pieces)
        .flat_map(|p| (0..n_out).map(move |o| o * n_pieces + p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maxout_layer_norm_piece_major() {
        // Two outputs, two pieces, piece-major: piece 0 = [1, -1], piece 1 = [3, -2].
        let h = [1.0, -1.0, 3.0, -2.0];
        let mut out = [0.0; 2];
        maxout_layer_norm(&h, 2, &[1.0, 1.0], &[0.0, 0.0], &mut out, false);
        // maxout -> [3, -1]; normalized -> [1, -1]
        assert!((out[0] - 1.0).abs() < 1e-4 && (out[1] + 1.0).abs() < 1e-4);
        maxout_layer_norm(&h, 2, &[1.0, 1.0], &[0.5, 0.5], &mut out, true);
        assert!((out[0] - 2.5).abs() < 1e-4 && (out[1] + 1.5).abs() < 1e-4);
        assert_eq!(piece_major_order(2, 3), vec![0, 3, 1, 4, 2, 5]);
    }

    #[test]
    fn sums_vec_mat_argmax() {
        let table = [1.0, 2.0, 10.0, 20.0, 100.0, 200.0];
        let mut d = [9.0; 2];
        sum_rows(&table, 2, &[2, 0, 2], &mut d);
        assert_eq!(d, [201.0, 402.0]);
        let mut o = [0.0; 3];
        vec_mat(&mut o, &[1.0, 2.0], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(o, [9.0, 12.0, 15.0]);
        assert_eq!(argmax(&[1.0, 5.0, 5.0]), Some(1));
        let data = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let mut out = [0.0; 2];
        sum_at_offsets(&data, &[4, 0, 4], &[0.5, 0.25], &mut out);
        assert_eq!(out, [11.5, 14.25]);
        let mut s = scratch(4);
        s.fill(1.0);
        assert_eq!(s.len(), 4);
    }
}
