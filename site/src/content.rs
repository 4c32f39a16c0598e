//! Stage 1, load: the Markdown files of the content folder, each with its front matter.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::BuildError;

/// A Markdown source file and what its front matter says about it.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the content folder, with `/` separators: `index.md`, `guide/a.md`.
    pub source: String,
    /// Where the file is on disk, for messages.
    pub path: PathBuf,
    pub front: FrontMatter,
    /// The Markdown after the front matter.
    pub body: String,
    /// Lines before `body` starts in the file, so body line numbers map back to the file.
    pub body_line: usize,
}

impl Page {
    /// The output path relative to the site root: `index.md` -> `index.html`.
    pub fn output(&self) -> String {
        output_name(&self.source)
    }
}

pub fn output_name(source: &str) -> String {
    format!("{}.html", source.strip_suffix(".md").unwrap_or(source))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub description: String,
    /// Position in the page order; lower comes first.
    #[serde(default)]
    pub weight: i64,
}

/// The content's pages, and the sources of those that failed to load (their problems are
/// in the diagnostics), so that links to them are not reported a second time.
pub struct Loaded {
    pub pages: Vec<Page>,
    pub unloaded: Vec<String>,
}

/// Reads every `.md` file under `dir`, sorted by weight then path.
pub fn load(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<Loaded, BuildError> {
    let mut files = Vec::new();
    collect_markdown(dir, &mut files)?;
    let mut pages = Vec::new();
    let mut unloaded = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).map_err(|source| BuildError::Io {
            path: path.clone(),
            source,
        })?;
        let source = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match page_of(source.clone(), path, bytes) {
            Ok(page) => pages.push(page),
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                unloaded.push(source);
            }
        }
    }
    pages.sort_by(|a, b| (a.front.weight, &a.source).cmp(&(b.front.weight, &b.source)));
    Ok(Loaded { pages, unloaded })
}

fn collect_markdown(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), BuildError> {
    let io = |source| BuildError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            collect_markdown(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "md") {
            files.push(path);
        }
    }
    Ok(())
}

/// Files of the content folder other than Markdown (images, data), copied as they are.
pub fn static_files(dir: &Path) -> Result<Vec<String>, BuildError> {
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files)?;
    Ok(files)
}

fn collect_files(root: &Path, dir: &Path, files: &mut Vec<String>) -> Result<(), BuildError> {
    let io = |source| BuildError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_files(root, &path, files)?;
        } else if path.extension().is_none_or(|ext| ext != "md") {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            files.push(parts.join("/"));
        }
    }
    files.sort();
    Ok(())
}

/// One file's bytes as a page: readable, with front matter.
pub fn page_of(source: String, path: PathBuf, bytes: Vec<u8>) -> Result<Page, Diagnostic> {
    let text = readable(&path, bytes)?;
    let (front, body, body_line) = split_front_matter(&path, &text)?;
    Ok(Page {
        source,
        front,
        body: body.to_string(),
        body_line,
        path,
    })
}

/// A page's text if it can be one: not empty, not huge, valid UTF-8.
fn readable(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(Diagnostic::new(
            path,
            1,
            format!(
                "the file is {:.1} MB; a page may be at most {} MB (split it, or move data to a file beside it)",
                bytes.len() as f64 / 1e6,
                MAX_PAGE_BYTES / 1_000_000
            ),
        ));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Diagnostic::new(
            path,
            1,
            "the file is empty: start it with front matter (a `+++` line, `title = \"...\"`, `description = \"...\"`, a `+++` line)",
        ));
    }
    String::from_utf8(bytes).map_err(|err| {
        let good = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        Diagnostic::new(
            path,
            line,
            format!(
                "not valid UTF-8 (byte {} of the file); save it as UTF-8",
                good.len() + 1
            ),
        )
    })
}

/// Pages larger than this are refused: no article is that long, and a build must stay
/// quick.
const MAX_PAGE_BYTES: usize = 5_000_000;

/// Splits `+++`-fenced TOML front matter from the body.
fn split_front_matter<'a>(
    path: &Path,
    text: &'a str,
) -> Result<(FrontMatter, &'a str, usize), Diagnostic> {
    let missing = || {
        Diagnostic::new(
            path,
            1,
            "missing front matter: start the file with a `+++` line, then `title = \"...\"` and \
             `description = \"...\"`, then another `+++` line",
        )
    };
    let rest = text.strip_prefix("+++").ok_or_else(missing)?;
    let rest = rest
        .strip_prefix('\n')
        .or_else(|| rest.strip_prefix("\r\n"))
        .ok_or_else(missing)?;
    let end = rest.find("\n+++").ok_or_else(|| {
        Diagnostic::new(
            path,
            1,
            "front matter is not closed: add a `+++` line after it",
        )
    })?;
    let toml_text = &rest[..end];
    let front: FrontMatter = toml::from_str(toml_text).map_err(|err| {
        let line = err
            .span()
            .map(|s| crate::diagnostic::line_of(toml_text, s.start))
            .unwrap_or(0);
        Diagnostic::new(
            path,
            line + 1,
            format!(
                "front matter: {} (keys: title, description, weight)",
                err.message()
            ),
        )
    })?;
    let after = &rest[end + 4..];
    let body = after
        .strip_prefix('\n')
        .or_else(|| after.strip_prefix("\r\n"))
        .unwrap_or(after);
    let body_line = text[..text.len() - body.len()].matches('\n').count();
    Ok((front, body, body_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_and_lines_are_counted() {
        let text = "+++\ntitle = \"T\"\ndescription = \"D\"\n+++\n# Hello\n";
        let (front, body, line) = split_front_matter(Path::new("a.md"), text).unwrap();
        assert_eq!(front.title, "T");
        assert_eq!(body, "# Hello\n");
        assert_eq!(line, 4);
    }

    #[test]
    fn bad_front_matter_points_at_its_line() {
        let text = "+++\ntitle = \"T\"\ndescription = 3\n+++\n";
        let err = split_front_matter(Path::new("a.md"), text).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.message.contains("description"), "{err}");
    }

    #[test]
    fn missing_front_matter_says_how_to_add_it() {
        let err = split_front_matter(Path::new("a.md"), "# Hi\n").unwrap_err();
        assert!(
            err.to_string().starts_with("a.md:1: missing front matter"),
            "{err}"
        );
    }
}
