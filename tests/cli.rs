//! The `cartilla` binary: exit statuses, messages and `check`.

mod common;

use std::process::Command;

use common::Fixture;

fn cartilla(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cartilla"))
        .args(args)
        .output()
        .expect("run cartilla")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn build_succeeds_with_a_one_line_summary() {
    let site = Fixture::new();
    let root = site.root().to_str().expect("utf-8 path");
    let out = cartilla(&["build", "--root", root]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Built 18 pages (es 6, en 6, fr 6) in "),
        "{stdout}"
    );
    assert!(stdout.contains("awaiting translation"), "{stdout}");
    assert!(site.output().join("index.html").is_file());
}

#[test]
fn content_errors_exit_1_with_a_snippet() {
    let site = Fixture::new();
    site.write(
        "content/obs/para-13.en.md",
        "---\nkind: co-paragraph\nnumber: 13\ntype: concern\ncolour: red\n---\nText.\n",
    );
    let out = cartilla(&["build", "--root", site.root().to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("unknown field `colour`"), "{stderr}");
    assert!(stderr.contains("content/obs/para-13.en.md:5:1"), "{stderr}");
    assert!(
        stderr.contains("colour: red"),
        "the offending line is shown: {stderr}"
    );
    assert!(!site.output().exists(), "nothing is written");
}

#[test]
fn usage_errors_exit_2_and_help_is_everywhere() {
    assert_eq!(
        cartilla(&["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(cartilla(&["frobnicate"]).status.code(), Some(2));
    for args in [&["--help"][..], &["build", "--help"], &["check", "--help"]] {
        let out = cartilla(args);
        assert_eq!(out.status.code(), Some(0));
        assert!(text(&out.stdout).contains("Usage: cartilla"));
    }
    let help = text(&cartilla(&["build", "--help"]).stdout);
    for flag in ["--root", "--output-dir", "--base-url"] {
        assert!(help.contains(flag), "{help}");
    }
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = Fixture::new();
    let root = site.root().to_str().expect("path");
    let out = cartilla(&["check", "--root", root]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Checked 18 pages"));
    assert!(!site.output().exists());

    site.write(
        "content/plan/area/commitment-1.en.md",
        "---\nkind: mirps-commitment\nnumber: 1\n---\n[x](@nowhere/at-all)\n",
    );
    let out = cartilla(&["check", "--root", root]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: unknown id `nowhere/at-all`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/plan/area/commitment-1.en.md:5:1"),
        "{stderr}"
    );
}

#[test]
fn check_warns_about_missing_ui_strings() {
    let site = Fixture::new();
    let fr = site.root().join("themes/default/i18n/fr.toml");
    let kept: String = std::fs::read_to_string(&fr)
        .expect("fr strings")
        .lines()
        .filter(|l| !l.starts_with("contents ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&fr, kept).expect("write");
    let out = cartilla(&["check", "--root", site.root().to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("missing UI string `contents`"), "{stderr}");
    assert!(stderr.contains("themes/default/i18n/fr.toml"), "{stderr}");
    assert!(text(&out.stdout).contains("1 warning(s)"));
}

#[test]
fn output_dir_and_base_url_flags() {
    let site = Fixture::new();
    let elsewhere = site.root().join("elsewhere/site");
    let out = cartilla(&[
        "build",
        "--root",
        site.root().to_str().expect("path"),
        "--output-dir",
        elsewhere.to_str().expect("path"),
        "--base-url",
        "https://example.org/",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(elsewhere.join("sitemap.xml").is_file());
    let bad = cartilla(&[
        "build",
        "--root",
        site.root().to_str().expect("path"),
        "--base-url",
        "example.org",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("must be an absolute http"));
}

#[test]
fn refuses_to_overwrite_a_folder_it_did_not_write() {
    let site = Fixture::new();
    site.write("mine/notes.txt", "precious");
    let out = cartilla(&[
        "build",
        "--root",
        site.root().to_str().expect("path"),
        "--output-dir",
        site.root().join("mine").to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("refusing to replace"));
    assert_eq!(
        std::fs::read_to_string(site.root().join("mine/notes.txt")).expect("kept"),
        "precious"
    );
}
