//! What a widget does to the page around it: the live values in its caption, its
//! challenges (ticked off, and remembered in `localStorage` so the contents can count
//! them), and files it offers for download.

use contract::LiveValue;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, Element, HtmlAnchorElement, Url};

/// The `<figure>` around a widget's placeholder: its caption and challenges.
pub fn figure_of(host: &Element) -> Option<Element> {
    host.closest("figure.widget-figure").ok().flatten()
}

/// Writes each live value of the figure's caption into its span.
pub fn update_live_values(figure: &Element, value: impl Fn(LiveValue) -> Option<f64>) {
    let Ok(spans) = figure.query_selector_all("[data-live-value]") else {
        return;
    };
    for index in 0..spans.length() {
        let Some(span) = spans.item(index).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let parsed = span
            .get_attribute("data-live-value")
            .and_then(|name| LiveValue::parse(&name));
        if let Some((live, x)) = parsed.and_then(|live| Some((live, value(live)?))) {
            let text = live.format(x);
            if span.text_content().as_deref() != Some(text.as_str()) {
                span.set_text_content(Some(&text));
            }
        }
    }
}

/// While the reader is asked to guess `target`, the caption must not give it away.
pub fn hide_live_value(figure: &Element, target: LiveValue) {
    let selector = format!("[data-live-value=\"{target}\"]");
    let Ok(spans) = figure.query_selector_all(&selector) else {
        return;
    };
    for index in 0..spans.length() {
        if let Some(span) = spans.item(index) {
            span.set_text_content(Some("?"));
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The key a challenge's progress is kept under: per page, per challenge.
fn storage_key(id: &str) -> String {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    format!("challenge:{path}:{id}")
}

/// Whether the reader met this challenge before (on this page, in this browser).
pub fn challenge_met(id: &str) -> bool {
    storage()
        .and_then(|s| s.get_item(&storage_key(id)).ok().flatten())
        .is_some()
}

/// Ticks a challenge off (or shows it open), remembers it, and tells the page script,
/// which counts them in the contents.
pub fn mark_challenge(figure: Option<&Element>, id: &str, met: bool) {
    let item = figure.and_then(|f| {
        f.query_selector(&format!("[data-challenge=\"{}\"]", id.replace('"', "")))
            .ok()
            .flatten()
    });
    if let Some(item) = &item {
        let _ = if met {
            item.class_list().add_1("met")
        } else {
            item.class_list().remove_1("met")
        };
        // The mark is a circle, filled when met: a screen reader hears its label.
        if let Ok(Some(mark)) = item.query_selector(".challenge-mark") {
            let label = if met {
                contract::challenge::MARK_MET
            } else {
                contract::challenge::MARK_OPEN
            };
            let _ = mark.set_attribute("aria-label", label);
        }
    }
    if met {
        if let Some(storage) = storage() {
            // Storage can be full or refused (a private window): the tick still shows.
            let _ = storage.set_item(&storage_key(id), "1");
        }
        if let Some(window) = web_sys::window() {
            if let Ok(event) = web_sys::Event::new("challenge-met") {
                let _ = window.dispatch_event(&event);
            }
        }
    }
}

/// Offers `text` as a file named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(anchor) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = Url::revoke_object_url(&url);
}
