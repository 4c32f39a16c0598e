//! The widgets of the article, compiled to WebAssembly. The page's loader calls
//! [`mount`] for each `<div class="widget" data-widget=NAME data-params=JSON>` as it
//! nears the viewport; the widget replaces the static figure inside and sets
//! `data-live` on the placeholder once it runs.
//!
//! A panic would abort the whole module and stop every widget on the page, so input
//! from the page is checked and clamped, never unwrapped.

mod canvas;
mod code_panes;
mod controls;
mod environment;
mod frame_times;
mod live;
mod params;
mod presets;
mod server_widget;
mod url_state;

use wasm_bindgen::prelude::*;
use web_sys::Element;

use server_widget::{ServerWidget, ServerWidgetProps};

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
    let url_prefix = if element.has_attribute("data-query-params") {
        String::new()
    } else {
        format!("w{}.", page_index(&element))
    };
    match name.as_str() {
        "sync-server" | "async-server" | "greenlet" => {
            // The live widget takes the static figure's place.
            element.set_inner_html("");
            let props = ServerWidgetProps {
                host: element.clone(),
                widget: name.into(),
                scenario,
                url_prefix: url_prefix.into(),
            };
            yew::Renderer::<ServerWidget>::with_root_and_props(element, props).render();
            Ok(())
        }
        other => Err(JsValue::from_str(&format!(
            "widget `{other}` has no live version yet"
        ))),
    }
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
