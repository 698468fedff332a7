//! A deterministic synthetic corpus, for benchmarks and tests at scale.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Words the generator draws from (Spanish-looking text, with accents).
const WORDS: &[&str] = &[
    "derechos",
    "trabajadores",
    "migratorios",
    "familias",
    "Estado",
    "parte",
    "Comité",
    "recomienda",
    "protección",
    "detención",
    "niños",
    "niñas",
    "adolescentes",
    "frontera",
    "retorno",
    "remesas",
    "consular",
    "asistencia",
    "justicia",
    "acceso",
    "información",
    "política",
    "migración",
    "trata",
    "personas",
    "víctimas",
    "mujeres",
    "indígenas",
    "salud",
    "educación",
    "empleo",
    "condiciones",
    "garantizar",
    "medidas",
    "legislación",
    "Convención",
    "artículo",
    "párrafo",
    "nacional",
    "plan",
];

/// A small pseudo-random generator (SplitMix64), so corpora are identical on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Writes a site root with `pages` item pages (in documents of 100 items) into `root`.
///
/// The site has one language (`es`) so that `pages` is also the number of item pages
/// written; each item has 300–1,500 words, lettered sub-paragraphs and a reference
/// to another item. The theme is copied from `theme_dir`.
pub fn write_corpus(root: &Path, pages: usize, theme_dir: &Path) -> io::Result<()> {
    fs::create_dir_all(root.join("content"))?;
    fs::write(
        root.join("site.toml"),
        "default_language = \"es\"\n\n[[languages]]\ncode = \"es\"\nname = \"Español\"\ntitle = \"Corpus sintético\"\n",
    )?;
    copy_dir(theme_dir, &root.join("themes/default"))?;
    let mut rng = Rng(0x00C0_FFEE);
    let per_document = 100;
    let documents = pages.div_ceil(per_document);
    for d in 0..documents {
        let doc = root.join(format!("content/doc-{d}"));
        fs::create_dir_all(&doc)?;
        fs::write(
            doc.join("_index.es.md"),
            format!("---\nkind: document\ntitle: \"Documento sintético {d}\"\nsymbol: \"SYN/{d}\"\n---\nUn documento generado.\n"),
        )?;
        let count = per_document.min(pages - d * per_document);
        for i in 1..=count {
            let mut text = format!(
                "---\nkind: co-paragraph\nnumber: {i}\ntype: recommendation\nheading: \"Tema {}\"\n---\n",
                i / 10
            );
            let words = 300 + rng.below(1200) as usize;
            let target = 1 + rng.below(count as u64);
            let _ = write!(text, "El Comité recomienda, véase el [párrafo {target}](@doc-{d}/para-{target}#para-{target}), que ");
            let letters = (words / 120).min(8);
            let mut letter = 0;
            for w in 0..words {
                text.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
                if w > 0 && w % 120 == 0 && letter < letters {
                    let _ = write!(text, ";\n\n({}) ", (b'a' + letter as u8) as char);
                    letter += 1;
                } else {
                    text.push(' ');
                }
            }
            text.push_str(".\n");
            fs::write(doc.join(format!("para-{i}.es.md")), text)?;
        }
    }
    Ok(())
}

/// Copies a folder tree (used to give generated and test sites the real theme).
pub fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry.path().strip_prefix(from).map_err(io::Error::other)?;
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
