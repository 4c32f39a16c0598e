//! The widgets of the article, compiled to WebAssembly. The page's loader calls
//! [`mount`] for each `<div class="widget" data-widget=NAME data-params=JSON>` as it
//! nears the viewport; the widget replaces the static figure inside and sets
//! `data-live` on the placeholder once it runs.
//!
//! A panic would abort the whole module and stop every widget on the page, so input
//! from the page is checked and clamped, never unwrapped.

mod canvas;
mod code_panes;
mod compare;
mod context_switch;
mod controls;
mod environment;
mod frame_times;
mod live;
mod measured;
mod memory;
mod params;
mod presets;
mod server_widget;
mod url_state;

use wasm_bindgen::prelude::*;
use web_sys::Element;

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
    // Tests and tools read this to know the widget honours the reader's setting.
    let motion = if environment::reduced_motion() {
        "reduced"
    } else {
        "full"
    };
    let _ = element.set_attribute("data-motion", motion);
    let props = WidgetProps {
        host: element.clone(),
        widget: name.clone().into(),
        scenario,
        url_prefix: url_prefix.into(),
    };
    match name.as_str() {
        "sync-server" | "async-server" | "greenlet" => {
            render::<server_widget::ServerWidget>(element, props)
        }
        "compare" => render::<compare::Compare>(element, props),
        "context-switch" => render::<context_switch::ContextSwitch>(element, props),
        "memory" => render::<memory::Memory>(element, props),
        other => return Err(JsValue::from_str(&format!("no widget is called `{other}`"))),
    }
    Ok(())
}

/// What every widget is given: its placeholder (which gets `data-live` once running),
/// its name, the block's scenario (which Reset returns to) and its keys' prefix in the
/// URL (`w2.` on an article, empty on an embed page).
#[derive(yew::Properties, PartialEq, Clone)]
pub struct WidgetProps {
    pub host: Element,
    pub widget: yew::AttrValue,
    pub scenario: sim::Scenario,
    pub url_prefix: yew::AttrValue,
}

/// The live widget takes the static figure's place.
fn render<C: yew::BaseComponent<Properties = WidgetProps>>(element: Element, props: WidgetProps) {
    element.set_inner_html("");
    yew::Renderer::<C>::with_root_and_props(element, props).render();
}

/// Runs a whole scenario (the JSON of a placeholder's `data-params`) and returns the
/// report as JSON: the same function as `simulate --json`, here so tests can hold the
/// wasm build to the native one and time the simulation in the browser.
#[wasm_bindgen]
pub fn simulate(params: &str) -> Result<String, JsValue> {
    let scenario: sim::Scenario =
        serde_json::from_str(params).map_err(|err| JsValue::from_str(&err.to_string()))?;
    scenario
        .validate()
        .map_err(|err| JsValue::from_str(&err.to_string()))?;
    serde_json::to_string(&sim::run(&scenario)).map_err(|err| JsValue::from_str(&err.to_string()))
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
