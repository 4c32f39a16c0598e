//! The widgets of the article, compiled to WebAssembly. The page's loader calls
//! [`mount`] for each `<div class="widget" data-widget=NAME data-params=JSON>` as it
//! nears the viewport; the widget replaces the static figure inside and sets
//! `data-live` on the placeholder once it runs.
//!
//! A panic would abort the whole module and stop every widget on the page, so input
//! from the page is checked and clamped, never unwrapped.

mod canvas;
mod live_server;

use wasm_bindgen::prelude::*;
use web_sys::Element;

use live_server::{LiveServer, LiveServerProps};

/// Mounts the widget described by `element`'s data attributes into it.
#[wasm_bindgen]
pub fn mount(element: Element) -> Result<(), JsValue> {
    install_panic_hook();
    let name = element.get_attribute("data-widget").unwrap_or_default();
    let params = element.get_attribute("data-params").unwrap_or_default();
    let scenario: sim::Scenario = serde_json::from_str(&params)
        .map_err(|err| JsValue::from_str(&format!("widget `{name}`: bad data-params: {err}")))?;
    scenario
        .validate()
        .map_err(|err| JsValue::from_str(&format!("widget `{name}`: {err}")))?;
    // The live widget takes the static figure's place.
    element.set_inner_html("");
    let props = LiveServerProps {
        host: element.clone(),
        scenario,
        widget: name,
    };
    yew::Renderer::<LiveServer>::with_root_and_props(element, props).render();
    Ok(())
}

fn install_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            web_sys::console::error_1(&JsValue::from_str(&format!("widget panicked: {info}")));
        }));
    });
}
