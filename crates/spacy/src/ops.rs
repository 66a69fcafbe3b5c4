//! Numeric kernels for inference: matrix products (via `matrixmultiply`),
//! maxout, layer normalization, the seq2col window, softmax. All work on
//! row-major `f32` slices and run on the calling thread.

/// `c[m×n] = a[m×k] · bᵀ` where `b` is `n×k` row-major (thinc's
/// `gemm(X, W, trans2=True)`), overwriting `c`.
pub fn gemm_abt(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], c: &mut [f32]) {
    assert!(a.len() >= m * k && b.len() >= n * k && c.len() >= m * n);
    if m == 0 || n == 0 {
        return;
    }
    // SAFETY: the slices hold at least m*k, n*k and m*n elements (checked
    // above) and the strides describe in-bounds row-major layouts.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            k as isize,
            1,
            b.as_ptr(),
            1,
            k as isize,
            0.0,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// `c[m×n] = a[m×k] · b[k×n]` (both row-major), overwriting `c`.
pub fn gemm_ab(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], c: &mut [f32]) {
    assert!(a.len() >= m * k && b.len() >= k * n && c.len() >= m * n);
    if m == 0 || n == 0 {
        return;
    }
    // SAFETY: as in `gemm_abt`.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            k as isize,
            1,
            b.as_ptr(),
            n as isize,
            1,
            0.0,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// Adds `bias` (length = row width) to every row of `x`.
pub fn add_bias(x: &mut [f32], bias: &[f32]) {
    let w = bias.len();
    for row in x.chunks_exact_mut(w) {
        for (v, b) in row.iter_mut().zip(bias) {
            *v += b;
        }
    }
}

/// Maxout over pieces: `x` is rows × (n_out·n_pieces) with the pieces of one
/// output adjacent; writes rows × n_out into `out`.
pub fn maxout(x: &[f32], n_pieces: usize, out: &mut [f32]) {
    for (o, pieces) in out.iter_mut().zip(x.chunks_exact(n_pieces)) {
        let mut best = pieces[0];
        for &p in &pieces[1..] {
            if p > best {
                best = p;
            }
        }
        *o = best;
    }
}

/// thinc's `LayerNorm` forward in place on rows of width `g.len()`:
/// `(x - mean) / sqrt(var + 1e-8) * g + b`.
pub fn layer_norm(x: &mut [f32], g: &[f32], b: &[f32]) {
    let w = g.len();
    for row in x.chunks_exact_mut(w) {
        let mut sum = 0.0f64;
        for &v in row.iter() {
            sum += f64::from(v);
        }
        let mu = (sum / w as f64) as f32;
        let mut sq = 0.0f64;
        for &v in row.iter() {
            let d = f64::from(v - mu);
            sq += d * d;
        }
        let var = (sq / w as f64) as f32 + 1e-8;
        let scale = var.powf(-0.5);
        for ((v, gi), bi) in row.iter_mut().zip(g).zip(b) {
            *v = (*v - mu) * scale * gi + bi;
        }
    }
}

/// thinc's `seq2col` with window `nw` over one sequence: row i of the
/// output is rows i-nw ..= i+nw of `x` concatenated (zeros outside).
pub fn seq2col(x: &[f32], width: usize, nw: usize, out: &mut [f32]) {
    let rows = x.len() / width;
    let nf = 2 * nw + 1;
    let ow = nf * width;
    assert!(out.len() >= rows * ow);
    for i in 0..rows {
        let dst = &mut out[i * ow..(i + 1) * ow];
        for f in 0..nf {
            let j = i as isize + f as isize - nw as isize;
            let d = &mut dst[f * width..(f + 1) * width];
            if j < 0 || j as usize >= rows {
                d.fill(0.0);
            } else {
                let j = j as usize;
                d.copy_from_slice(&x[j * width..(j + 1) * width]);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemm_matches_naive() {
        let (m, n, k) = (3, 4, 5);
        let a: Vec<f32> = (0..m * k).map(|i| i as f32 * 0.5 - 3.0).collect();
        let b: Vec<f32> = (0..n * k).map(|i| (i % 7) as f32 - 2.0).collect();
        let mut c = vec![0.0; m * n];
        gemm_abt(m, n, k, &a, &b, &mut c);
        for i in 0..m {
            for j in 0..n {
                let want: f32 = (0..k).map(|t| a[i * k + t] * b[j * k + t]).sum();
                assert!((c[i * n + j] - want).abs() < 1e-4);
            }
        }
    }

    #[test]
    fn seq2col_window_one() {
        let x = [1.0, 2.0, 3.0];
        let mut out = [0.0; 9];
        seq2col(&x, 1, 1, &mut out);
        assert_eq!(out, [0.0, 1.0, 2.0, 1.0, 2.0, 3.0, 2.0, 3.0, 0.0]);
    }

    #[test]
    fn maxout_and_layernorm() {
        let mut out = [0.0; 2];
        maxout(&[1.0, 3.0, -1.0, -2.0], 2, &mut out);
        assert_eq!(out, [3.0, -1.0]);
        let mut x = [1.0, 3.0];
        layer_norm(&mut x, &[1.0, 1.0], &[0.0, 0.0]);
        assert!((x[0] + 1.0).abs() < 1e-4 && (x[1] - 1.0).abs() < 1e-4);
        assert_eq!(argmax(&[1.0, 5.0, 5.0]), Some(1));
    }
}
