//! Whether a widget changed size on the page: a ResizeObserver on its placeholder, so
//! that a paused widget redraws its canvases when the window, the zoom or the layout
//! changes their width (a frame would otherwise never come, and the old picture stays
//! stretched).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, ResizeObserver};

/// Watches one element; dropping it stops the watch.
pub struct Resize {
    observer: ResizeObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Resize {
    /// Calls `changed()` after `element` changed size (and once when the watch starts).
    pub fn watch(element: &Element, changed: impl Fn() + 'static) -> Option<Resize> {
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_| changed());
        let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(element);
        Some(Resize {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for Resize {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
