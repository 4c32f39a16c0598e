// Injected by `serve` only: reloads the page after each successful build and shows the
// build error over the page while the content is broken.
const events = new EventSource("/__live_reload");
let overlay = null;
function showError(message) {
  overlay ??= document.body.appendChild(document.createElement("pre"));
  overlay.className = "build-error";
  overlay.setAttribute("role", "alert");
  overlay.dataset.buildError = "";
  overlay.textContent = "The site does not build; showing the last good version.\n\n" + message;
}
events.addEventListener("ok", () => overlay?.remove());
events.addEventListener("reload", () => location.reload());
events.addEventListener("failed", (event) => {
  if (event.data) showError(event.data);
});
