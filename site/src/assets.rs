//! Stage 5, assets: files written beside the pages. Scripts, styles and the wasm get a
//! content hash in their names so hosts can cache them forever; every text asset and the
//! wasm get `.gz` and `.br` copies for servers that send precompressed files.

use std::borrow::Cow;
use std::io::Write;

use sha2::{Digest, Sha256};

/// One file of the output.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    pub bytes: Cow<'static, [u8]>,
    pub copies: Copies,
}

/// Whether a file gets `.gz` and `.br` copies beside it.
#[derive(Debug, Clone)]
pub enum Copies {
    None,
    /// Made when the file is written (and only if the build compresses).
    Compress,
    /// The same, for one of many small files (the build-time figures): brotli at quality 9,
    /// see [`brotli`].
    CompressOneOfMany,
    /// Made ahead of time: gzip, brotli.
    Ready(&'static [u8], &'static [u8]),
}

impl OutputFile {
    pub fn plain(path: String, bytes: impl Into<Cow<'static, [u8]>>) -> Self {
        OutputFile {
            path,
            bytes: bytes.into(),
            copies: Copies::None,
        }
    }

    /// A text file that gets compressed copies.
    pub fn text(path: String, bytes: impl Into<Cow<'static, [u8]>>) -> Self {
        OutputFile {
            path,
            bytes: bytes.into(),
            copies: Copies::Compress,
        }
    }

    /// A text file that gets compressed copies, one of many small ones.
    pub fn one_of_many(path: String, bytes: impl Into<Cow<'static, [u8]>>) -> Self {
        OutputFile {
            path,
            bytes: bytes.into(),
            copies: Copies::CompressOneOfMany,
        }
    }

    /// The compressed copies to write beside the file: (extension, bytes).
    pub fn compressed_copies(&self) -> Vec<(&'static str, Cow<'static, [u8]>)> {
        match self.copies {
            Copies::None => Vec::new(),
            Copies::Compress | Copies::CompressOneOfMany => {
                let many = matches!(self.copies, Copies::CompressOneOfMany);
                vec![
                    ("gz", gzip(&self.bytes).into()),
                    ("br", brotli(&self.bytes, many).into()),
                ]
            }
            Copies::Ready(gz, br) => vec![("gz", gz.into()), ("br", br.into())],
        }
    }
}

/// A compiled asset whose compressed copies were made ahead of time (the wasm bundle).
#[derive(Debug, Clone, Copy)]
pub struct Precompressed {
    pub bytes: &'static [u8],
    pub gzip: &'static [u8],
    pub brotli: &'static [u8],
}

impl Precompressed {
    pub fn output(&self, path: String) -> OutputFile {
        OutputFile {
            path,
            bytes: self.bytes.into(),
            copies: Copies::Ready(self.gzip, self.brotli),
        }
    }
}

/// `style.css` -> `style.1a2b3c4d5e.css`
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// Quality 10 for the small files (styles, scripts, short pages); 9 where quality 10
/// costs the build more than it is worth, since the build must stay under a second:
/// pages over 64 KB (the article's 131 KB took 0.3 s at quality 10, for 22.6 KB against
/// 24.4 KB), and the build-time figures (`one_of_many`: about 140 small SVG files under
/// `assets/figures/`, 0.5 s at quality 10 for 8% less, each fetched only when a reader
/// nears it).
pub fn brotli(bytes: &[u8], one_of_many: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: if one_of_many || bytes.len() > 64 * 1024 {
            9
        } else {
            10
        },
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_change_with_content() {
        let a = hashed_name("style.css", b"a");
        assert!(
            a.starts_with("style.") && a.ends_with(".css") && a.len() == "style..css".len() + 10
        );
        assert_ne!(a, hashed_name("style.css", b"b"));
    }

    #[test]
    fn compressed_copies_round_trip() {
        let text = b"hello hello hello hello".repeat(20);
        let mut decoded = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&gzip(&text)[..]),
            &mut decoded,
        )
        .unwrap();
        assert_eq!(decoded, text);
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &brotli(&text, false)[..], &mut decoded).unwrap();
        assert_eq!(decoded, text);
    }
}
