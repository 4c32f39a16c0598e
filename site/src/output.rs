//! Stage 6, output: everything is written into a fresh directory beside the target,
//! then swapped in, so a build that fails half-way leaves the previous site untouched.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::assets::OutputFile;
use crate::BuildError;

/// Writes `files` (with their compressed copies when `compress`) and swaps them in.
pub fn write_and_swap(out: &Path, files: &[OutputFile], compress: bool) -> Result<(), BuildError> {
    let staging = sibling(out, "new");
    let retired = sibling(out, "old");
    for dir in [&staging, &retired] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io(dir))?;
        }
    }
    // Compression is most of a build's time: files are written on every core, each
    // core taking the next file from a queue, largest first, so that one big page
    // does not leave the other cores idle at the end.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut order: Vec<&OutputFile> = files.iter().collect();
    order.sort_by_key(|f| std::cmp::Reverse(f.bytes.len()));
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    while let Some(file) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        write_file(&staging, file, compress)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("writing a file does not panic"))
    })?;
    // Two renames: the old site is never half-replaced. A server that reads between
    // them sees no site for a moment, never a mixed one.
    if out.exists() {
        std::fs::rename(out, &retired).map_err(io(out))?;
    }
    std::fs::rename(&staging, out).map_err(io(out))?;
    if retired.exists() {
        std::fs::remove_dir_all(&retired).map_err(io(&retired))?;
    }
    Ok(())
}

fn write_file(root: &Path, file: &OutputFile, compress: bool) -> Result<(), BuildError> {
    let path = root.join(&file.path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(&path, &file.bytes).map_err(io(&path))?;
    if compress {
        for (ext, bytes) in file.compressed_copies() {
            let compressed = PathBuf::from(format!("{}.{ext}", path.display()));
            std::fs::write(&compressed, bytes).map_err(io(&compressed))?;
        }
    }
    Ok(())
}

/// `dist` -> `dist.new`, in the same parent so the rename stays on one file system.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dist".into());
    out.with_file_name(format!("{name}.{suffix}"))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_in_a_new_tree_and_drops_the_old() {
        let root = std::env::temp_dir().join(format!("site-output-test-{}", std::process::id()));
        let out = root.join("dist");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let files = vec![OutputFile::text(
            "a/index.html".into(),
            b"<p>new</p>".to_vec(),
        )];
        write_and_swap(&out, &files, true).unwrap();
        assert!(!out.join("stale.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "<p>new</p>"
        );
        assert!(out.join("a/index.html.gz").exists() && out.join("a/index.html.br").exists());
        assert!(!root.join("dist.new").exists() && !root.join("dist.old").exists());
        std::fs::remove_dir_all(root).unwrap();
    }
}
