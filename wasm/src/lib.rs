//! The widgets of the article, compiled to WebAssembly. The page's loader calls
//! [`mount`] for each placeholder (`<div class="widget" data-widget data-scenario
//! data-options>`) as it nears the viewport; the widget replaces the static figure inside
//! and sets `data-live` on the placeholder once it runs.
//!
//! Every widget is the one scaffold in `widget.rs` around its figure from `chart`; the
//! placeholder is read once, through `contract`, and never parsed anywhere else.
//!
//! A panic would abort the whole module and stop every widget on the page, so input
//! from the page is checked and clamped, never unwrapped.

mod canvas;
mod clock;
mod controls;
mod environment;
mod frame_times;
mod page;
mod resize;
mod url_state;
mod visibility;
mod widget;

use contract::Placeholder;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// Mounts the widget described by `element`'s data attributes into it.
#[wasm_bindgen]
pub fn mount(element: Element) -> Result<(), JsValue> {
    install_panic_hook();
    let attribute = |name: &str| element.get_attribute(name).unwrap_or_default();
    let placeholder = Placeholder::from_attributes(
        &attribute("data-widget"),
        &attribute("data-scenario"),
        &attribute("data-options"),
    )
    .map_err(|err| JsValue::from_str(&err))?;
    let url_prefix = if placeholder.options.embed {
        String::new()
    } else {
        format!("w{}.", page_index(&element))
    };
    // Tests and tools read this to know the widget honours the reader's setting.
    let motion = if environment::reduced_motion() {
        "reduced"
    } else {
        "full"
    };
    let _ = element.set_attribute("data-motion", motion);
    let props = widget::WidgetProps {
        host: element.clone(),
        placeholder,
        url_prefix: url_prefix.into(),
    };
    element.set_inner_html("");
    yew::Renderer::<widget::Widget>::with_root_and_props(element, props).render();
    Ok(())
}

/// Runs a whole scenario (a placeholder's `data-scenario` query string) and returns the
/// report as JSON: the same function as `simulate --json`, here so tests can hold the
/// wasm build to the native one and time the simulation in the browser.
#[wasm_bindgen]
pub fn simulate(scenario: &str) -> Result<String, JsValue> {
    let scenario =
        sim::Scenario::from_query(scenario).map_err(|err| JsValue::from_str(&err.to_string()))?;
    Ok(sim::run(&scenario).to_json())
}

/// The size of the module's linear memory in bytes: the long-session test holds it
/// bounded (a wasm memory only grows, so a leak shows here).
#[wasm_bindgen]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0.0, |memory| {
            f64::from(
                memory
                    .buffer()
                    .unchecked_into::<js_sys::ArrayBuffer>()
                    .byte_length(),
            )
        })
}

/// The widget's position among the page's widgets, from 1: its name in the URL.
fn page_index(element: &Element) -> usize {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return 1;
    };
    let Ok(all) = document.query_selector_all(".widget[data-widget]") else {
        return 1;
    };
    (0..all.length())
        .find(|i| all.item(*i).is_some_and(|node| &node == element.as_ref()))
        .map_or(1, |i| i as usize + 1)
}

fn install_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            web_sys::console::error_1(&JsValue::from_str(&format!("widget panicked: {info}")));
        }));
    });
}
