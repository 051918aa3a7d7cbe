// Entry point of the customer chat page at "/".
import { ChatView } from "./chat.js";
import { texts } from "./i18n.js";

const tagline = document.querySelector("[data-i18n=tagline]");
const view = new ChatView(document.getElementById("chat-root"), {
  storePrefix: "erni",
  inputId: "erni-chat-input",
  headingLevel: 1,
  onLanguage(lang) {
    document.documentElement.lang = lang;
    if (tagline) tagline.textContent = texts(lang).tagline;
  },
});
view.init();
