//! The `build` and `check` commands on fixture content: what they write, and how they
//! report bad content (every problem, at `path:line`, with what is valid) without
//! touching the previous output.

mod common;

#[test]
fn builds_pages_assets_and_compressed_copies() {
    let out = common::scratch("build-basic");
    let output = common::build(&common::fixture("basic"), &out, "/sub/");
    assert!(output.status.success(), "{}", common::text(&output));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("The fifth waits."),
        "article text is in the HTML"
    );
    assert!(index.contains(r#"data-widget="sync-server""#));
    // The static figure is an image per theme, its SVG a file of the output.
    let figure = index
        .split(r#"<img class="widget-chart theme-light" src="/sub/"#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("static fallback figure");
    let svg = std::fs::read_to_string(out.join(figure)).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{svg}");
    assert!(index.contains(r#"<meta name="widget-bundle""#), "{index}");
    assert!(
        index.contains(r#"<script type="module" async src="/sub/assets/loader."#),
        "{index}"
    );
    assert!(index.contains(r#"<link rel="stylesheet" href="/sub/assets/style."#));
    assert!(out.join("second.html").exists());
    let assets: Vec<String> = std::fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for stem in ["style.", "loader.", "widgets.", "widgets_bg."] {
        for suffix in ["", ".gz", ".br"] {
            let found = assets.iter().any(|a| {
                a.starts_with(stem)
                    && a.ends_with(suffix)
                    && (suffix.is_empty() || a.len() > stem.len() + suffix.len())
                    && a.split('.').nth(1).is_some_and(|h| h.len() == 10)
            });
            assert!(found, "no hashed {stem}*{suffix} in {assets:?}");
        }
    }
    let loader = assets
        .iter()
        .find(|a| a.starts_with("loader.") && a.ends_with(".js"))
        .unwrap();
    let loader = std::fs::read_to_string(out.join("assets").join(loader)).unwrap();
    let glue = assets
        .iter()
        .find(|a| a.starts_with("widgets.") && a.ends_with(".js"))
        .unwrap();
    assert!(
        loader.contains(glue.as_str()),
        "loader names the hashed glue"
    );
}

/// Runs `check` on `content` and expects exactly these `path:line:` prefixes.
fn check_fails(files: &[(&str, &str)], expected: &[(&str, &str)]) {
    let content = common::scratch("check-invalid");
    for (name, text) in files {
        std::fs::write(content.join(name), text).unwrap();
    }
    let out = common::scratch("check-invalid-out");
    std::fs::write(out.join("keep.html"), "previous site").unwrap();
    let output = common::build(&content, &out, "/");
    let text = common::text(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    for (place, words) in expected {
        let place = format!("{}/{place}: ", content.display());
        let found = text
            .lines()
            .map(|l| l.trim_start_matches("error: "))
            .any(|l| l.starts_with(&place) && l.contains(words));
        assert!(found, "expected `{place}` with `{words}` in:\n{text}");
    }
    let problems = format!("{} problems in the content", expected.len());
    assert!(
        expected.len() == 1 || text.contains(&problems),
        "all reported together:\n{text}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("keep.html")).unwrap(),
        "previous site"
    );
    let check = common::explainer(&["check", "--content", content.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1), "{}", common::text(&check));
}

const FRONT: &str = "+++\ntitle = \"T\"\ndescription = \"D\"\n+++\n";

fn page(body: &str) -> String {
    format!("{FRONT}{body}")
}

#[test]
fn every_kind_of_content_error_is_reported_at_its_line() {
    let index = page(concat!(
        "# Home\n",                                                 // 5
        "\n",                                                       // 6
        "```widget sink-server\n",                                  // 7: the name is on the fence
        "workers = 4\n",                                            // 8
        "```\n",                                                    // 9
        "\n",                                                       // 10
        "```widget sync-server\n",                                  // 11
        "workers = 4\n",                                            // 12
        "wokers = 5\n",                                             // 13
        "```\n",                                                    // 14
        "\n",                                                       // 15
        "```widget sync-server\n",                                  // 16
        "cores = \"two\"\n",                                        // 17
        "```\n",                                                    // 18
        "\n",                                                       // 19
        "```widget sync-server\n",                                  // 20
        "workers = 0\n",                                            // 21
        "```\n",                                                    // 22
        "\n",                                                       // 23
        "```widget sync-server\n",                                  // 24
        "workers = [4\n",                                           // 25
        "```\n",                                                    // 26
        "\n",                                                       // 27
        "See [gone](gone.md) and [no anchor](other.md#nowhere).\n", // 28
    ));
    let other = page("# Other\n\n## Somewhere\n");
    check_fails(
        &[("index.md", &index), ("other.md", &other)],
        &[
            (
                "index.md:7",
                "unknown widget `sink-server`; valid widgets: sync-server, async-server",
            ),
            ("index.md:13", "unknown key `wokers`"),
            ("index.md:17", "cores"),
            ("index.md:21", "workers"),
            ("index.md:25", "not valid TOML"),
            ("index.md:28", "missing page or file `gone.md`"),
            (
                "index.md:28",
                "missing anchor `#nowhere` in other.md; its anchors: other, somewhere",
            ),
        ],
    );
}

#[test]
fn bad_front_matter_is_reported() {
    check_fails(
        &[("index.md", "+++\ntitle = \"T\"\n+++\n# Hi\n")],
        &[("index.md:2", "missing field `description`")],
    );
}

#[test]
fn check_passes_on_good_content_and_writes_nothing() {
    let cwd = common::scratch("check-good");
    let content = common::fixture("basic");
    let output = common::explainer_in(&cwd, &["check", "--content", content.to_str().unwrap()]);
    assert!(output.status.success(), "{}", common::text(&output));
    assert!(common::text(&output).contains("ok: 2 pages, 1 widgets"));
    assert_eq!(
        std::fs::read_dir(&cwd).unwrap().count(),
        0,
        "check wrote files"
    );
}
