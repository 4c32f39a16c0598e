// Loads the widgets' WebAssembly once a widget comes near the viewport, then mounts each
// widget as it approaches. Module scripts run after the document is parsed, so the
// article's text is painted first and never waits for this.
const GLUE = new URL("__WIDGETS_JS__", import.meta.url);
const WASM = new URL("__WIDGETS_WASM__", import.meta.url);

let bundle;
function loadBundle() {
  bundle ??= import(GLUE.href).then(async (module) => {
    await module.default({ module_or_path: WASM.href });
    return module;
  });
  return bundle;
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

const widgets = document.querySelectorAll(".widget[data-widget]");
if ("IntersectionObserver" in window) {
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
} else {
  widgets.forEach(mount);
}
