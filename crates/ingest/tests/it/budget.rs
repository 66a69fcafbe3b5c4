//! Runs a property for a time budget instead of a number of cases (for
//! long fuzzing runs without a nightly toolchain). The same file is used
//! by `crates/temporal/tests/it/fuzz.rs`.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Runs `check` on values of `strategy` until `EVENTLINE_FUZZ_SECONDS`
/// seconds are spent, from a fresh random seed, printing the executions on
/// stderr (every minute and at the end). A failure panics with the input
/// proptest shrank it to. Without the variable, says so and returns.
pub fn fuzz_for<S: Strategy>(
    name: &str,
    strategy: S,
    check: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let Some(secs) = std::env::var("EVENTLINE_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        eprintln!("fuzz {name}: skipped: set EVENTLINE_FUZZ_SECONDS to the length of the run");
        return;
    };
    let budget = Duration::from_secs(secs);
    let executions = AtomicU64::new(0);
    let start = Instant::now();
    let mut next_report = Duration::from_secs(60);
    while start.elapsed() < budget {
        // a runner counts its cases over all its runs: a new one (with a
        // new random seed) per batch
        let mut runner = TestRunner::new(Config {
            cases: 1_000,
            failure_persistence: None,
            max_shrink_iters: 100_000,
            ..Config::default()
        });
        let result = runner.run(&strategy, |v| {
            executions.fetch_add(1, Ordering::Relaxed);
            check(v)
        });
        if let Err(e) = result {
            panic!(
                "fuzz {name}: failure after {} executions in {:.0} s: {e}",
                executions.load(Ordering::Relaxed),
                start.elapsed().as_secs_f64()
            );
        }
        if start.elapsed() >= next_report {
            eprintln!(
                "fuzz {name}: {} executions in {:.0} s",
                executions.load(Ordering::Relaxed),
                start.elapsed().as_secs_f64()
            );
            next_report += Duration::from_secs(60);
        }
    }
    let n = executions.load(Ordering::Relaxed);
    let s = start.elapsed().as_secs_f64();
    eprintln!(
        "fuzz {name}: {n} executions in {s:.0} s ({:.0}/s), no failure",
        n as f64 / s
    );
}
