//! A corpus of malformed content: each case breaks a small good site in one way. Every
//! broken case must fail the build with its own message at `path:line`, and leave the
//! previous output as it was; every injection case must build, with the injected markup
//! shown as text, never run.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

const INDEX: &str = "+++
title = \"Home\"
description = \"A page.\"
+++

# Home

Some text. See [the second page](second.md#part).

```widget sync-server
workers = 2
clients = 3
caption = \"Two workers.\"
```
";

const SECOND: &str = "+++
title = \"Second\"
description = \"Another page.\"
weight = 2
+++

# Second

## Part

Text.
";

/// The index page with `block` as its widget block's body.
fn index_with_block(name: &str, body: &str) -> String {
    format!("+++\ntitle = \"Home\"\ndescription = \"A page.\"\n+++\n\n# Home\n\nText.\n\n```widget {name}\n{body}```\n")
}

/// A case: the file it replaces or adds, its text, and the `file:line: fragment` the
/// build must report.
struct Broken {
    name: &'static str,
    file: &'static str,
    text: String,
    expect: &'static str,
}

fn broken_cases() -> Vec<Broken> {
    let case = |name, file, text: String, expect| Broken {
        name,
        file,
        text,
        expect,
    };
    let block = |body: &str| index_with_block("sync-server", body);
    vec![
        case("no front matter", "index.md", "# Home\n".into(), "index.md:1: missing front matter"),
        case("front matter not closed", "index.md", "+++\ntitle = \"x\"\n".into(), "index.md:1: front matter is not closed"),
        case("front matter not TOML", "index.md", "+++\ntitle = = 1\n+++\n".into(), "index.md:2: front matter:"),
        case("front matter without a title", "index.md", "+++\ndescription = \"d\"\n+++\n".into(), "index.md:2: front matter: missing field `title`"),
        case("unknown front matter key", "index.md", "+++\ntitle = \"t\"\ndescription = \"d\"\nauthor = \"me\"\n+++\n".into(), "index.md:4: front matter: unknown field `author`"),
        case("mistyped front matter", "index.md", "+++\ntitle = \"t\"\ndescription = 3\n+++\n".into(), "index.md:3: front matter:"),
        case("unknown widget", "index.md", index_with_block("sink-server", "workers = 2\n"), "index.md:10: unknown widget `sink-server`; valid widgets: sync-server"),
        case("widget without a name", "index.md", index_with_block("", "workers = 2\n"), "index.md:10: unknown widget no name"),
        case("unknown key", "index.md", block("speed = 2\n"), "index.md:11: unknown key `speed` in widget `sync-server`; valid keys: server"),
        case("misspelt key", "index.md", block("wrokers = 2\n"), "index.md:11: unknown key `wrokers`"),
        case("mistyped key", "index.md", block("workers = \"four\"\n"), "index.md:11: widget `sync-server`: key `workers`: must be an integer from 1 to 4096, got the string \"four\""),
        case("float for an integer", "index.md", block("workers = 2.5\n"), "index.md:11: widget `sync-server`: key `workers`: must be an integer from 1 to 4096, got the number 2.5"),
        case("out of range", "index.md", block("workers = 0\n"), "index.md:11: widget `sync-server`: key `workers`: must be an integer from 1 to 4096, got 0"),
        case("not a number", "index.md", block("cpu_ms = nan\n"), "index.md:11: widget `sync-server`: key `cpu_ms`: must be a number from 0 to 600000, got NaN"),
        case("both workloads", "index.md", block("clients = 3\narrival_rate = 5\n"), "index.md:11: widget `sync-server`: key `clients`: give `arrival_rate`"),
        case("pool without database", "index.md", block("db_pool = 5\n"), "index.md:11: widget `sync-server`: key `db_pool`: `db_pool` limits database connections, but `db_ms` is 0"),
        case("heavy CPU without heavy share", "index.md", block("heavy_cpu_ms = 300\n"), "index.md:11: widget `sync-server`: key `heavy_cpu_ms`"),
        case("bad TOML in a block", "index.md", block("workers = 2\nclients = = 3\n"), "index.md:12: widget parameters are not valid TOML"),
        case("unknown control", "index.md", block("controls = [\"speed\"]\n"), "index.md:11: `controls`: `speed` is not a control of `sync-server`; valid controls: server"),
        case("unknown predict target", "index.md", block("predict = \"happiness\"\n"), "index.md:11: `predict`: `happiness` is not something `sync-server` can ask the reader to predict; valid targets: throughput"),
        case("unknown live value", "index.md", block("caption = \"{sync.p99} ms\"\n"), "index.md:11: `caption`: `{sync.p99}` is not a live value of this widget; live values: throughput"),
        case("unbalanced brace", "index.md", block("caption = \"a { b\"\n"), "index.md:11: `caption`: a `{` without its `}`"),
        case("malformed condition", "index.md", block("[[challenge]]\ntext = \"Go\"\nwhen = [\"p99\"]\n"), "index.md:11: `challenge`: condition `p99` is not of the form"),
        case("challenge without text", "index.md", block("[[challenge]]\nwhen = [\"p99 < 3\"]\n"), "index.md:11: `challenge` needs `text`"),
        case("a claim the figure does not bear out", "index.md", block("workers = 2\nclients = 8\nholds = \"queue < 0\"\n"), "index.md:13: `holds`: `queue < 0` does not hold at this block's settings (queue = "),
        case("a preset that cannot apply over the block", "index.md", block("io_calls = 0\nio_ms = 0\n"), "index.md:10: the preset \"Five clients, four workers\" of `sync-server` does not apply over this block's settings (key `io_ms`: must be 0 when `io_calls` is 0"),
        case("a claim about a value the widget lacks", "index.md", block("holds = \"sync.p99 < 3\"\n"), "index.md:11: `holds`: condition `sync.p99 < 3`: this widget has no live value `sync.p99`"),
        case("unclosed fence", "index.md", "+++\ntitle = \"t\"\ndescription = \"d\"\n+++\n\nText.\n\n```widget sync-server\nworkers = 2\n".into(), "index.md:8: this widget block is not closed"),
        case("duplicate heading", "second.md", format!("{SECOND}\n## Part\n\nMore.\n"), "second.md:13: this heading has the same anchor `#part`"),
        case("broken link", "second.md", format!("{SECOND}\nSee [nowhere](missing.md).\n"), "second.md:13: link to a missing page or file `missing.md`"),
        case("broken anchor", "index.md", INDEX.replace("#part", "#nopart"), "index.md:8: "),
        case("invalid UTF-8", "second.md", format!("{SECOND}\nbad \u{FFFD}\n"), "second.md:13: not valid UTF-8"),
        case("empty file", "second.md", String::new(), "second.md:1: the file is empty"),
        case("a 10 MB file", "second.md", format!("{SECOND}\n{}", "word ".repeat(2_100_000)), "second.md:1: the file is 10.5 MB; a page may be at most 5 MB"),
        case("widget in a list", "index.md", INDEX.replace("```widget sync-server\nworkers = 2\nclients = 3\ncaption = \"Two workers.\"\n```", "- item\n\n  ```widget sync-server\n  workers = 2\n  ```"), "index.md:12: a widget block cannot sit inside a list"),
        case("widget in a quote", "index.md", INDEX.replace("```widget sync-server\nworkers = 2\nclients = 3\ncaption = \"Two workers.\"\n```", "> ```widget sync-server\n> workers = 2\n> ```"), "index.md:10: a widget block cannot sit inside a quote"),
        case("unknown generated block", "second.md", format!("{SECOND}\n```generated nope\n```\n"), "second.md:13: unknown generated block `nope`; valid ones: validation"),
    ]
}

/// Every file of `dir` with its bytes, to compare before and after a build.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn site(dir: &Path, replace: Option<(&str, &[u8])>) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("index.md"), INDEX).unwrap();
    std::fs::write(dir.join("second.md"), SECOND).unwrap();
    if let Some((file, bytes)) = replace {
        std::fs::write(dir.join(file), bytes).unwrap();
    }
}

#[test]
fn every_broken_input_fails_at_its_line_and_keeps_the_last_good_output() {
    let content = common::scratch("bad-content");
    let out = common::scratch("bad-content-out");
    site(&content, None);
    let good = common::build(&content, &out, "/");
    assert!(good.status.success(), "{}", common::text(&good));
    let before = snapshot(&out);
    let cases = broken_cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    // Every case runs before the test fails, so one run lists every mismatch.
    let mut wrong = Vec::new();
    for case in &cases {
        let mut bytes = case.text.clone().into_bytes();
        if case.name == "invalid UTF-8" {
            // A lone continuation byte where the replacement character stood.
            let at = case.text.find('\u{FFFD}').unwrap();
            bytes.splice(at..at + 3, [0x80u8]);
        }
        site(&content, Some((case.file, &bytes)));
        let output = common::build(&content, &out, "/");
        let text = common::text(&output);
        let expected = format!("{}/{}", content.display(), case.expect);
        if output.status.success() {
            wrong.push(format!("{}: the build passed", case.name));
        } else if !text.contains(&expected) {
            wrong.push(format!("{}: expected `{expected}` in\n{text}", case.name));
        }
        if snapshot(&out) != before {
            wrong.push(format!("{}: the output changed", case.name));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn injected_markup_is_shown_as_text() {
    let content = common::scratch("injection");
    let out = common::scratch("injection-out");
    let script = "<script>alert(1)</script>";
    let index = format!(
        "+++\ntitle = \"Home {script}\"\ndescription = \"A page \\\" onload=\\\"x\"\n+++\n\n# Home\n\nText.\n\n```widget sync-server\nworkers = 2\ncaption = \"{script} and <img src=x onerror=alert(2)>\"\ntry = \"{script}\"\n\n[[challenge]]\ntext = \"{script}\"\nwhen = [\"throughput > 1\"]\n```\n"
    );
    site(&content, Some(("index.md", index.as_bytes())));
    let output = common::build(&content, &out, "/");
    assert!(output.status.success(), "{}", common::text(&output));
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains(script), "a script was injected");
    assert!(!html.contains("<img src=x"), "an element was injected");
    assert!(!html.contains("\" onload=\""), "an attribute was injected");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the text is shown"
    );
    let embed = std::fs::read_to_string(out.join("embed/sync-server.html")).unwrap();
    assert!(!embed.contains(script));
}
