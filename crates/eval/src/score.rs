//! The two numbers every scorer divides by: a ratio that is 0 over nothing,
//! and F1, the harmonic mean of precision and recall.

/// `part / whole`, 0 when `whole` is 0.
pub fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The harmonic mean of precision `p` and recall `r`, 0 when both are 0.
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_and_f1_cases() {
        for (part, whole, want) in [(0, 0, 0.0), (1, 4, 0.25), (3, 3, 1.0)] {
            assert_eq!(ratio(part, whole), want, "{part}/{whole}");
        }
        for (p, r, want) in [(0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.5, 1.0, 2.0 / 3.0)] {
            assert!((f1(p, r) - want).abs() < 1e-12, "f1({p}, {r})");
        }
    }
}
