// Assistant text → safe DOM: Markdown (marked) → sanitiser (DOMPurify, allow-list) → DocumentFragment.
// Raw HTML inside a reply is escaped (shown as text), never interpreted; links open in a new tab.
import { Marked } from "../vendor/marked.esm.js";
import createDOMPurify from "../vendor/purify.es.mjs";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html(token) {
      return escapeHtml(token.text ?? token.raw ?? "");
    },
    image(token) {
      // No remote images from model text (tracking pixels, layout breakers): show the alt text.
      return escapeHtml(token.text || "");
    },
  },
});

const purify = createDOMPurify(window);
const CONFIG = {
  ALLOWED_TAGS: ["p", "br", "strong", "em", "del", "code", "pre", "ul", "ol", "li", "a", "blockquote",
    "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td"],
  ALLOWED_ATTR: ["href", "title"],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:)/i,
  RETURN_DOM_FRAGMENT: true,
};

purify.addHook("afterSanitizeAttributes", (node) => {
  if (node.nodeName === "A") {
    if (!node.getAttribute("href")) {
      node.replaceWith(...node.childNodes);
      return;
    }
    if (/^https?:/i.test(node.getAttribute("href"))) {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    }
  }
});

/** Headings in chat bubbles are at most h3/h4, so they do not break the page outline. */
function demoteHeadings(html) {
  return html.replace(/<(\/?)h[1-2]>/g, "<$1h3>").replace(/<(\/?)h[5-6]>/g, "<$1h4>");
}

export function renderMarkdown(text, ownerDocument = document) {
  const html = demoteHeadings(marked.parse(String(text ?? "")));
  const fragment = purify.sanitize(html, CONFIG);
  return ownerDocument === document ? fragment : ownerDocument.importNode(fragment, true);
}
