// The embeddable widget: a floating button and chat panel in a Shadow DOM on the host page
// (no iframe, so our frame-ancestors 'none' policy stays intact; host styles do not leak in).
import { ChatView } from "./chat.js";
import { h } from "./dom.js";
import { texts } from "./i18n.js";

function bubbleIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
  svg.append(path);
  return svg;
}

export function mount({ apiBase, staticBase, lang = "de" }) {
  const host = h("div", { id: "erni-chat-widget", "data-erni-widget": "" });
  document.body.append(host);
  const shadow = host.attachShadow({ mode: "open" });
  for (const sheet of ["css/chat.css", "css/widget.css"]) {
    shadow.append(h("link", { rel: "stylesheet", href: `${staticBase}/${sheet}` }));
  }
  const panelId = "erni-widget-panel";
  const launcherLabel = h("span", { class: "erni-launcher__label" });
  const launcher = h("button", { type: "button", class: "erni-launcher", "aria-expanded": "false",
    "aria-controls": panelId }, bubbleIcon(), launcherLabel);
  const panel = h("div", { id: panelId, class: "erni-widget-panel", role: "dialog", hidden: true });
  shadow.append(launcher, panel);

  let started = false;
  const open = () => {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    host.classList.add("is-open");
    if (!started) {
      started = true;
      view.init();
    }
    view.input.focus();
  };
  const close = () => {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    host.classList.remove("is-open");
    launcher.focus();
  };
  const view = new ChatView(panel, {
    apiBase,
    lang,
    storePrefix: "erni-widget",
    headingLevel: 2,
    onClose: close,
    onLanguage(current) {
      const t = texts(current);
      launcher.setAttribute("aria-label", t.openChat);
      launcherLabel.textContent = "Chat";
      panel.setAttribute("aria-label", t.title);
    },
  });
  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  return { open, close, view };
}
