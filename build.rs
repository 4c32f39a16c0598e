//! Builds the widgets crate (`wasm/`) for the browser, so that one cargo command makes
//! everything: the wasm32 compile, its JS bindings (wasm-bindgen, linked as a library at
//! the exact version of the `wasm-bindgen` crate) and a size pass with `wasm-opt`.
//! The results land in `OUT_DIR` and are embedded into the command-line binary, which
//! writes them into each built site with hashed names.
//!
//! Missing tools are installed here, as a newcomer would otherwise have to: the wasm32
//! target through rustup and binaryen's `wasm-opt` from npm into `target/tools/`.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// binaryen from npm; Debian's older binaryen cannot parse what current rustc emits.
const BINARYEN_NPM: &str = "binaryen@132.0.0";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn main() {
    for path in ["wasm", "sim", "chart", "contract", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={path}");
    }
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let target_root = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir.join("target"));

    ensure_wasm_target();
    let wasm = compile_widgets(&manifest_dir, &target_root.join("wasm"));
    generate_bindings(&wasm, &out_dir);
    let wasm_opt = find_or_install_wasm_opt(&target_root.join("tools"));
    optimize(&wasm_opt, &out_dir.join("widgets_bg.wasm"));
    let glue = out_dir.join("widgets.js");
    let text = std::fs::read_to_string(&glue).unwrap();
    std::fs::write(&glue, without_comments(&text)).unwrap();
    for file in ["widgets.js", "widgets_bg.wasm"] {
        precompress(&out_dir.join(file));
    }
}

/// wasm-bindgen's glue as served: its doc comments, comment lines and indentation are
/// for readers of the generated file, and were 15% of its compressed size, which counts
/// against the widgets' 250 KB. Every line break stays, so no statement ends elsewhere.
/// A line with an odd number of backticks would start a template literal that spans
/// lines, whose text this must not touch: then the glue is served as generated.
fn without_comments(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut in_block = false;
    for line in js.lines() {
        let line = line.trim_start();
        if in_block || line.starts_with("/*") {
            in_block = !line.contains("*/");
            continue;
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        if line.matches('`').count() % 2 == 1 {
            println!("cargo:warning=the glue has a template literal over several lines; served as generated");
            return js.to_string();
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The bundle changes only when the widgets do, so its compressed copies are made here
/// once rather than in every site build.
fn precompress(path: &Path) {
    use std::io::Write;
    let bytes = std::fs::read(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).unwrap();
    std::fs::write(path.with_extension(ext(path, "gz")), gz.finish().unwrap()).unwrap();
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).unwrap();
    std::fs::write(path.with_extension(ext(path, "br")), br).unwrap();
}

fn ext(path: &Path, suffix: &str) -> String {
    format!("{}.{suffix}", path.extension().unwrap().to_string_lossy())
}

fn ensure_wasm_target() {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains(WASM_TARGET))
        .unwrap_or(false);
    if !installed {
        println!("cargo:warning=installing the {WASM_TARGET} target with rustup");
        run(Command::new("rustup").args(["target", "add", WASM_TARGET]));
    }
}

/// A nested cargo needs its own target directory: the outer build holds the lock on ours.
fn compile_widgets(manifest_dir: &Path, target_dir: &Path) -> PathBuf {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(manifest_dir)
        .args([
            "build",
            "--package",
            "widgets",
            "--lib",
            "--target",
            WASM_TARGET,
        ])
        .args(["--profile", "wasm-release", "--target-dir"])
        .arg(target_dir);
    // Variables the outer cargo set for this build script (or a clippy run) would
    // change what the nested build compiles, so only the jobserver is passed on.
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy();
        let outer = (key.starts_with("CARGO_") && key != "CARGO_MAKEFLAGS" && key != "CARGO_HOME")
            || matches!(
                key.as_ref(),
                "RUSTFLAGS"
                    | "RUSTC_WORKSPACE_WRAPPER"
                    | "RUSTC_WRAPPER"
                    | "CLIPPY_ARGS"
                    | "TARGET"
                    | "HOST"
                    | "OUT_DIR"
                    | "PROFILE"
                    | "OPT_LEVEL"
                    | "DEBUG"
                    | "NUM_JOBS"
                    | "RUSTDOC"
                    | "RUSTC_LINKER"
            );
        if outer {
            cmd.env_remove(key.as_ref());
        }
    }
    cmd.env("CARGO_ENCODED_RUSTFLAGS", remapped_registry_paths());
    run(&mut cmd);
    target_dir
        .join(WASM_TARGET)
        .join("wasm-release")
        .join("widgets.wasm")
}

/// Panic messages carry the source path of the crate they come from. Without the
/// registry's folder in front (`/root/.cargo/registry/src/index.crates.io-…/`) the
/// bundle is smaller and the same on every machine, whatever its cargo home.
fn remapped_registry_paths() -> String {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let Some(Ok(indexes)) = home.map(|home| std::fs::read_dir(home.join("registry").join("src")))
    else {
        return String::new();
    };
    let mut flags: Vec<String> = indexes
        .flatten()
        .map(|index| format!("--remap-path-prefix={}/=", index.path().display()))
        .collect();
    // The same flags in the same order whatever order the folder lists them in, so the
    // nested build's cache holds.
    flags.sort();
    flags.join("\x1f")
}

fn generate_bindings(wasm: &Path, out_dir: &Path) {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(wasm)
        .out_name("widgets")
        .web(true)
        .expect("the web target is always valid");
    if let Err(err) = bindgen.generate(out_dir) {
        panic!("wasm-bindgen failed on {}: {err:#}", wasm.display());
    }
}

fn find_or_install_wasm_opt(tools: &Path) -> PathBuf {
    let bin = tools.join("node_modules").join(".bin").join("wasm-opt");
    if bin.exists() {
        return bin;
    }
    if Command::new("npm").arg("--version").output().is_err() {
        println!("cargo:warning=installing npm from Debian's packages (needed for wasm-opt)");
        run(Command::new("apt-get").arg("update"));
        run(Command::new("apt-get").args(["install", "-y", "npm"]));
    }
    println!(
        "cargo:warning=installing wasm-opt ({BINARYEN_NPM}) from npm into {}",
        tools.display()
    );
    std::fs::create_dir_all(tools).unwrap();
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(tools)
        .arg(BINARYEN_NPM));
    bin
}

fn optimize(wasm_opt: &Path, wasm: &Path) {
    run(Command::new(wasm_opt)
        .arg(wasm)
        .arg("-o")
        .arg(wasm)
        .args(["-Oz", "--strip-debug", "--strip-producers"])
        .args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-reference-types",
            "--enable-multivalue",
            "--enable-mutable-globals",
        ]));
}

fn run(cmd: &mut Command) {
    let status = cmd
        .status()
        .unwrap_or_else(|err| panic!("could not start {cmd:?}: {err}"));
    if !status.success() {
        panic!("{cmd:?} failed with {status}");
    }
}
