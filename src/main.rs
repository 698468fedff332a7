//! The `cartilla` command line: a thin layer over the library's pipeline.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use cartilla::{BuildOptions, Diagnostics, Stage};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Cartilla builds a multilingual, offline-ready site from the texts that govern migrant workers' rights.
#[derive(Parser)]
#[command(name = "cartilla", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Write the site here instead of the folder named in site.toml.
        #[arg(long, value_name = "DIR")]
        output_dir: Option<PathBuf>,
        /// Public address of the site: adds canonical links and sitemap.xml.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check everything build checks, writing nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site root: the folder holding site.toml, content/ and themes/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            site,
            output_dir,
            base_url,
            quiet,
        } => {
            let options = BuildOptions {
                root: site.root,
                output_dir,
                base_url,
            };
            let progress = StageProgress::new(quiet);
            finish(
                cartilla::build(&options, &|stage| progress.show(stage)),
                quiet,
                &progress,
            )
        }
        Command::Check { site } => {
            let options = BuildOptions {
                root: site.root,
                ..BuildOptions::default()
            };
            let progress = StageProgress::new(false);
            finish(
                cartilla::check(&options, &|stage| progress.show(stage)),
                false,
                &progress,
            )
        }
    }
}

/// Prints the outcome; exit status 1 for content errors.
fn finish(
    result: Result<cartilla::BuildReport, Diagnostics>,
    quiet: bool,
    progress: &StageProgress,
) -> ExitCode {
    progress.clear();
    match result {
        Ok(report) => {
            if !quiet {
                eprint!("{}", report.warnings.render());
                println!("{}", report.summary());
            }
            ExitCode::SUCCESS
        }
        Err(mut diagnostics) => {
            diagnostics.sort();
            eprint!("{}", diagnostics.render());
            let errors = diagnostics.errors().count();
            eprintln!("error: {errors} problem(s) found; nothing was written");
            ExitCode::from(1)
        }
    }
}

/// A spinner naming the current stage, shown on a terminal once a build takes over a second.
struct StageProgress {
    bar: Option<ProgressBar>,
}

impl StageProgress {
    fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            // Quick builds stay silent: the spinner appears only after a second.
            let delayed = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(1));
                if !delayed.is_finished() {
                    delayed.set_draw_target(ProgressDrawTarget::stderr());
                    delayed.enable_steady_tick(Duration::from_millis(120));
                }
            });
            bar
        });
        Self { bar }
    }

    fn show(&self, stage: Stage) {
        if let Some(bar) = &self.bar {
            bar.set_message(stage.name());
        }
    }

    fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
