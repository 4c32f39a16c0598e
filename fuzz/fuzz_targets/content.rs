//! The content pipeline on any bytes: a page loads, renders and reports its problems,
//! and never panics. Widget parameters and captions must come out escaped.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let (html, _diagnostics) = site::check_page(bytes);
    // Whatever the input, no script element can come out of a page's text.
    assert!(!html.contains("<script"), "a script element in the output");
});
