//! Times each pipeline stage on a generated corpus: `cargo run --release --example stages -- 10000`.
use std::time::Instant;
fn main() {
    let size: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let dir =
        tempfile::tempdir_in(std::env::var("TMPDIR").unwrap_or("/tmp".into())).expect("tempdir");
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    cartilla::synthetic::write_corpus(dir.path(), size, &theme).expect("corpus");
    let t = Instant::now();
    let (inputs, _) = cartilla::load::load(dir.path()).expect("load");
    println!("load    {:?}", t.elapsed());
    let t = Instant::now();
    let (strings, _) =
        cartilla::i18n::Strings::load(&inputs.theme, &inputs.config).expect("strings");
    let tera = cartilla::render::compile(&inputs.theme).expect("tera");
    let corpus = cartilla::parse::parse(&inputs.content, &inputs.config).expect("parse");
    println!("parse   {:?}", t.elapsed());
    let t = Instant::now();
    let site = cartilla::link::link(&corpus, &inputs.config, &strings, None).expect("link");
    println!("link    {:?}", t.elapsed());
    let t = Instant::now();
    let files = cartilla::render::render(&site, &tera, &strings, "default").expect("render");
    println!("render  {:?}", t.elapsed());
    let t = Instant::now();
    cartilla::write::write_site(&dir.path().join("public"), &files, &inputs.theme.assets)
        .expect("write");
    println!("write   {:?}", t.elapsed());
}
