//! The widgets' wasm bundle, compiled by `build.rs` and embedded in this binary so that
//! `build` can write it into every site it makes.

use site::{Bundle, Precompressed};

macro_rules! out_file {
    ($name:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $name))
    };
}

pub const BUNDLE: Bundle = Bundle {
    glue: Precompressed {
        bytes: out_file!("widgets.js"),
        gzip: out_file!("widgets.js.gz"),
        brotli: out_file!("widgets.js.br"),
    },
    wasm: Precompressed {
        bytes: out_file!("widgets_bg.wasm"),
        gzip: out_file!("widgets_bg.wasm.gz"),
        brotli: out_file!("widgets_bg.wasm.br"),
    },
};
