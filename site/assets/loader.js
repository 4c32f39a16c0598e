// Loads the widgets' WebAssembly and mounts each widget as it comes near the viewport.
// The page's text never waits for this: the script is an async module, and on a page
// with widgets (a `widget-bundle` meta tag in the <head>) the bundle is fetched and
// compiled once the text is first painted, while the reader reads, so the first widget
// a reader reaches only has to mount. Without the tag (a shell of its own, say), the
// bundle is fetched when the first widget comes near.
const GLUE = new URL("__WIDGETS_JS__", import.meta.url);
const WASM = new URL("__WIDGETS_WASM__", import.meta.url);

let bundle;
function loadBundle() {
  // The wasm is asked for alongside the glue, not after it: one round trip less.
  const wasm = bundle ? null : fetch(WASM.href);
  wasm?.catch(() => {}); // reported by the init below, if the glue got that far
  bundle ??= import(GLUE.href).then(async (module) => {
    await module.default({ module_or_path: wasm });
    return module;
  });
  return bundle;
}

// After the first contentful paint: fetching earlier would share the phone's network
// with the text itself.
function afterFirstPaint(run) {
  const types = globalThis.PerformanceObserver?.supportedEntryTypes ?? [];
  if (!types.includes("paint")) {
    addEventListener("load", run, { once: true });
    return;
  }
  const observer = new PerformanceObserver((list, self) => {
    if (list.getEntriesByName("first-contentful-paint").length > 0) {
      self.disconnect();
      setTimeout(run, 0);
    }
  });
  observer.observe({ type: "paint", buffered: true });
}

// A reader who asked to save data fetches the bundle only for a widget they reach.
const early = document.querySelector('meta[name="widget-bundle"]');
if (early && !navigator.connection?.saveData) {
  // Each widget's mount reports a failure on that widget.
  afterFirstPaint(() => loadBundle().catch(() => {}));
}

// Widgets that come near the viewport together would otherwise all mount in the task
// that finished loading the bundle: one long task. Each waits for a task of its own.
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(element) {
  try {
    const module = await loadBundle();
    await nextTask();
    module.mount(element);
  } catch (error) {
    element.dataset.error = String(error);
    console.error("widget failed to mount", element.dataset.widget, error);
  }
}

function watchWidgets() {
  const widgets = document.querySelectorAll(".widget[data-widget]");
  if (!("IntersectionObserver" in window)) {
    widgets.forEach(mount);
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          mount(entry.target);
        }
      }
    },
    // Close to the viewport, not a screen ahead: a widget that mounts while the page
    // loads is a long task on a slow phone, and its static figure shows the same
    // picture until it does.
    { rootMargin: "100px 0px" },
  );
  widgets.forEach((widget) => observer.observe(widget));
}

// An async module may run before the page is parsed.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", watchWidgets, { once: true });
} else {
  watchWidgets();
}
