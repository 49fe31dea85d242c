//! Micro-benchmark (not a test): `series_decompose_anomalies(s, 1.5, -1, 'linefit')` over
//! 100k series of length 14 and 10k series of length 168, plus `series_periods_detect` on
//! longer series. Run: `cargo run --release -p kql-series --example bench`.

use std::time::Instant;

fn series(seed: &mut u64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            let noise = (*seed % 1000) as f64 / 100.0;
            50.0 + 10.0 * ((i % 24) as f64 / 24.0 * std::f64::consts::TAU).sin() + noise
        })
        .collect()
}

fn run(count: usize, len: usize) {
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    let data: Vec<Vec<f64>> = (0..count).map(|_| series(&mut seed, len)).collect();
    let t = Instant::now();
    let mut flags = 0i64;
    for y in &data {
        let a = kql_series::series_decompose_anomalies(y, 1.5, -1, "linefit", 0, "ctukey", 0.6)
            .expect("valid parameters");
        flags += a.ad_flag.iter().map(|f| f.abs()).sum::<i64>();
    }
    let el = t.elapsed();
    println!(
        "series_decompose_anomalies: {count} series x {len} points: {:.3} s ({:.2} us/series, {flags} flags)",
        el.as_secs_f64(),
        el.as_secs_f64() * 1e6 / count as f64
    );
}

fn main() {
    run(100_000, 14);
    run(10_000, 168);
    for n in [1_000, 10_000] {
        let mut seed = 7u64;
        let y = series(&mut seed, n);
        let t = Instant::now();
        let p = kql_series::series_periods_detect(&y, 0.0, n as f64 / 2.0, 2).expect("valid");
        println!(
            "series_periods_detect: 1 series x {n} points: {:.3} s (periods {:?})",
            t.elapsed().as_secs_f64(),
            p.periods
        );
    }
}
