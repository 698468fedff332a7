//! Build benchmark: generated corpora of 1,000 and 10,000 pages; prints pages per second and peak memory.
//!
//! Run with `cargo bench --bench build`. Each size runs in a fresh child process so
//! its peak resident memory (VmHWM) is its own. Target: 10,000 pages in under 2 s.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SIZES: &[usize] = &[1_000, 10_000];
const RUNS: usize = 3;

fn main() {
    if let Ok(size) = std::env::var("CARTILLA_BENCH_SIZE") {
        let size: usize = size.parse().expect("CARTILLA_BENCH_SIZE is a number");
        run_one(size);
        return;
    }
    println!(
        "cartilla build benchmark ({} cores, output in {})",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        bench_dir().display()
    );
    println!(
        "{:>8} {:>10} {:>10} {:>12} {:>12}",
        "pages", "median s", "best s", "pages/s", "peak MiB"
    );
    let exe = std::env::current_exe().expect("bench executable");
    for &size in SIZES {
        let out = Command::new(&exe)
            .env("CARTILLA_BENCH_SIZE", size.to_string())
            .output()
            .expect("run the benchmark child");
        if !out.status.success() {
            eprintln!("{}", String::from_utf8_lossy(&out.stderr));
            panic!("benchmark for {size} pages failed");
        }
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
}

/// Where corpora are built: a RAM disk when there is one, so the figures measure
/// Cartilla rather than the disk (on this VM's disk, creating 10,000 files alone
/// takes several seconds whatever writes them). `CARTILLA_BENCH_DIR` overrides.
fn bench_dir() -> std::path::PathBuf {
    if let Ok(dir) = std::env::var("CARTILLA_BENCH_DIR") {
        return dir.into();
    }
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

fn run_one(size: usize) {
    let dir = tempfile::tempdir_in(bench_dir()).expect("tempdir");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    cartilla::synthetic::write_corpus(dir.path(), size, &theme).expect("write corpus");
    let options = cartilla::BuildOptions {
        root: dir.path().to_path_buf(),
        ..Default::default()
    };
    let mut times: Vec<Duration> = Vec::new();
    let mut pages = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let report = cartilla::build(&options, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
        times.push(started.elapsed());
        pages = report
            .pages_per_language
            .iter()
            .map(|(_, n)| n)
            .sum::<usize>();
    }
    times.sort();
    let median = times[times.len() / 2].as_secs_f64();
    let best = times[0].as_secs_f64();
    println!(
        "{:>8} {:>10.3} {:>10.3} {:>12.0} {:>12.1}",
        pages,
        median,
        best,
        pages as f64 / median,
        peak_memory_mib()
    );
}

/// Peak resident memory of this process, from /proc (Linux).
fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
