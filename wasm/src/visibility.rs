//! Whether a widget is on screen: an IntersectionObserver on its placeholder, so that a
//! widget scrolled out of view stops simulating and drawing, and picks up where it was
//! when it comes back.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// Watches one element; dropping it stops the watch.
pub struct Visibility {
    observer: IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Visibility {
    /// Calls `changed(visible)` whenever `element` comes into view or leaves it (with a
    /// margin, so a widget starts just before it is seen).
    pub fn watch(element: &Element, changed: impl Fn(bool) + 'static) -> Option<Visibility> {
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Some(entry) = entries
                .iter()
                .last()
                .and_then(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
            {
                changed(entry.is_intersecting());
            }
        });
        let init = IntersectionObserverInit::new();
        init.set_root_margin("100px 0px");
        let observer =
            IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init)
                .ok()?;
        observer.observe(element);
        Some(Visibility {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for Visibility {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
