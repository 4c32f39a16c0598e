// The page's own script, loaded (not deferred) from <head> so that the theme is set
// before the first paint and the page never flashes the wrong colours. Sets
// data-theme="dark"|"light" on <html> (the widgets read it to pick their chart
// palette), follows the system setting until the reader chooses with the toggle, and
// remembers that choice. Also wires the "copy embed code" buttons and marks the
// section being read in the table of contents.
(() => {
  const root = document.documentElement;
  const KEY = "theme";
  const system = window.matchMedia("(prefers-color-scheme: dark)");
  let chosen = null;
  try {
    chosen = localStorage.getItem(KEY);
  } catch {
    // Storage can be blocked (private windows, embeds): the system setting applies.
  }
  const current = () => chosen ?? (system.matches ? "dark" : "light");
  // Widgets redraw their charts on "theme-changed": a paused one draws no frames.
  const apply = () => {
    const before = root.dataset.theme;
    root.dataset.theme = current();
    const toggle = document.querySelector(".theme-toggle");
    toggle?.setAttribute("aria-pressed", String(current() === "dark"));
    if (before && before !== root.dataset.theme) {
      window.dispatchEvent(new Event("theme-changed"));
    }
  };
  // Marks that scripts run, so controls that need them are shown (see style.css).
  root.classList.add("js");
  apply();
  system.addEventListener("change", apply);

  function toggleTheme() {
    chosen = current() === "dark" ? "light" : "dark";
    try {
      localStorage.setItem(KEY, chosen);
    } catch {
      // Not remembered, but still applied.
    }
    apply();
  }

  // The embed code: an iframe, and the few lines that let it take its content's height
  // (the embed page posts it, see `postHeight`). Absolute addresses: with --site-url
  // the build wrote them; otherwise this page's own origin resolves them.
  async function copyEmbed(button) {
    const src = new URL(button.dataset.embedSrc, document.baseURI).href;
    const origin = new URL(src).origin;
    const title = button.dataset.embedTitle;
    const code =
      `<iframe src="${src}" title="${title}" width="100%" height="560" loading="lazy" style="border:0"></iframe>\n` +
      `<script>addEventListener("message",e=>{if(e.origin!=="${origin}"||!e.data||e.data.type!=="explainer-height")return;` +
      `for(const f of document.querySelectorAll("iframe"))if(f.contentWindow===e.source)f.style.height=e.data.height+"px"})</script>`;
    const status = button.nextElementSibling;
    // The code shows at once, to copy by hand: a clipboard that is refused (an insecure
    // origin, a denied or pending permission) may not answer for a long time.
    status.textContent = code;
    try {
      await navigator.clipboard.writeText(code);
      status.textContent = "Copied.";
    } catch {
      // Refused: the code stays on screen.
    }
  }

  // The contents link of the last heading that scrolled past the top of the window.
  function followSections() {
    const links = new Map();
    for (const link of document.querySelectorAll(".toc a[href^='#']")) {
      links.set(decodeURIComponent(link.hash.slice(1)), link);
    }
    const headings = [...document.querySelectorAll(".content h2[id], .content h3[id]")]
      .filter((h) => links.has(h.id));
    if (!headings.length) return;
    let current = null;
    let pending = false;
    const update = () => {
      pending = false;
      let last = headings[0];
      for (const h of headings) {
        if (h.getBoundingClientRect().top > 80) break;
        last = h;
      }
      // Scrolled to the end, the last short sections never reach that line: the last
      // heading in the window is then the one being read.
      if (innerHeight + scrollY >= document.documentElement.scrollHeight - 2) {
        for (const h of headings) {
          if (h.getBoundingClientRect().top < innerHeight) last = h;
        }
      }
      const link = links.get(last.id);
      if (link === current) return;
      current?.removeAttribute("aria-current");
      link.setAttribute("aria-current", "location");
      current = link;
    };
    // At most once a frame, on every scroll and resize. Watching headings cross a band
    // of the window missed the moment one passed the 80 px line inside the band, and
    // figures that grow as they load move headings without crossing anything: the
    // contents then marked the section before the one being read.
    const schedule = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(update);
    };
    addEventListener("scroll", schedule, { passive: true });
    addEventListener("resize", schedule, { passive: true });
    update();
  }

  // "3 of 9 challenges done": the challenges met on this page, which the widgets keep
  // in localStorage as `challenge:PATH:ID`.
  function countChallenges() {
    const line = document.querySelector(".challenge-progress");
    if (!line) return;
    const ids = [...document.querySelectorAll("[data-challenge]")].map((e) => e.dataset.challenge);
    let done = 0;
    try {
      done = ids.filter((id) => localStorage.getItem(`challenge:${location.pathname}:${id}`)).length;
    } catch {
      // Storage refused: nothing remembered, nothing to count.
    }
    line.textContent = `Challenges: ${done} of ${ids.length} done`;
  }

  // On an embed page inside another site's iframe: tell the parent how tall the page
  // is, whenever that changes, so it can size the iframe with no scroll bar.
  function postHeight() {
    if (window.parent === window || !document.body.classList.contains("embed")) return;
    const post = () =>
      window.parent.postMessage(
        { type: "explainer-height", height: Math.ceil(document.documentElement.scrollHeight) },
        "*",
      );
    new ResizeObserver(post).observe(document.body);
    post();
  }

  // A code block or table wider than the text column scrolls sideways: a Tab stop, so
  // that a keyboard can scroll it in every browser, and named for screen readers (its
  // text would be read as its name). One that fits is no stop.
  function scrollStops() {
    const boxes = document.querySelectorAll(".content pre, .content > table, .content .table-wrap");
    const mark = () => {
      for (const box of boxes) {
        if (box.closest(".widget")) continue;
        if (box.scrollWidth > box.clientWidth + 1) {
          box.tabIndex = 0;
          if (!box.hasAttribute("aria-label")) {
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", box.tagName === "PRE" ? "Code, scrolls sideways" : "Table, scrolls sideways");
          }
        } else {
          box.removeAttribute("tabindex");
        }
      }
    };
    new ResizeObserver(mark).observe(document.body);
    // The browser centres what the keyboard focuses, which puts the header of a table
    // taller than the window out of sight; show its top instead. Not for a click, which
    // focuses too and must not move the page under the pointer.
    for (const box of boxes) {
      box.addEventListener("focus", () => {
        if (box.matches(":focus-visible") && box.getBoundingClientRect().top < 0) {
          box.scrollIntoView({ block: "start" });
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    scrollStops();
    postHeight();
    countChallenges();
    window.addEventListener("challenge-met", countChallenges);
    followSections();
    apply();
    document.querySelector(".theme-toggle")?.addEventListener("click", toggleTheme);
    for (const button of document.querySelectorAll(".copy-embed")) {
      button.addEventListener("click", () => copyEmbed(button));
    }
  });
})();
