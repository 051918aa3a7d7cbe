// The chat component shared by the page, the agent panel and the embeddable widget.
import { ApiError, NetworkError, createClient } from "./api.js";
import { append, clear, h } from "./dom.js";
import { LANGUAGES, locale, texts } from "./i18n.js";
import { renderMarkdown } from "./markdown.js";
import { ConversationStore } from "./store.js";
import { quickReplies, refusedBy } from "./suggestions.js";

let instances = 0;

export class ChatView {
  /**
   * @param {HTMLElement} root where the chat is built
   * @param {object} options apiBase, storePrefix, lang, headingLevel, onEvent(event), onResult(response),
   *   onReset(), onClose() (widget only), inputId, showAgents (label replies with the agent's name)
   */
  constructor(root, options = {}) {
    this.root = root;
    this.options = options;
    this.client = createClient(options.apiBase || "");
    this.store = new ConversationStore(options.storePrefix || "erni");
    this.lang = LANGUAGES.includes(this.store.language()) ? this.store.language() : options.lang || "de";
    this.state = emptyState(this.lang);
    this.busy = false;
    this.blockedUntil = 0;
    this.controller = null;
    this.uid = `erni-chat-${++instances}`;
    this.build();
  }

  get t() {
    return texts(this.lang);
  }

  // ---- DOM -------------------------------------------------------------------------------------------

  build() {
    const t = this.t;
    const inputId = this.options.inputId || `${this.uid}-input`;
    const heading = `h${this.options.headingLevel || 1}`;
    this.title = h(heading, { class: "erni-chat__title", id: `${this.uid}-title` });
    this.subtitle = h("p", { class: "erni-chat__subtitle" });
    this.langButtons = LANGUAGES.map((lang) =>
      h("button", {
        type: "button", class: "erni-chip erni-chip--lang", lang, "data-lang": lang,
        onclick: () => this.setLanguage(lang),
      }, lang.toUpperCase()));
    this.langGroup = h("div", { class: "erni-chat__lang", role: "group" }, this.langButtons);
    this.newButton = h("button", { type: "button", class: "erni-btn erni-btn--secondary", "data-action": "new",
      onclick: () => this.newConversation() });
    const tools = [this.langGroup, this.newButton];
    if (this.options.onClose) {
      this.closeButton = h("button", { type: "button", class: "erni-btn erni-btn--icon", "data-action": "close",
        onclick: () => this.options.onClose() }, "×");
      tools.push(this.closeButton);
    }
    this.banner = h("div", { class: "erni-chat__banner", role: "alert", hidden: true });
    this.log = h("div", { class: "erni-chat__log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      tabindex: "0" });
    this.typing = h("div", { class: "erni-chat__typing", hidden: true, "aria-hidden": "true" },
      h("span", { class: "erni-dot" }), h("span", { class: "erni-dot" }), h("span", { class: "erni-dot" }));
    this.status = h("p", { class: "erni-visually-hidden", role: "status" });
    this.chips = h("div", { class: "erni-chat__chips", role: "group" });
    this.input = h("textarea", { id: inputId, class: "erni-chat__input", rows: "1", maxlength: "4000",
      autocomplete: "off", enterkeyhint: "send" });
    this.inputLabel = h("label", { for: inputId, class: "erni-visually-hidden" });
    this.sendButton = h("button", { type: "submit", class: "erni-btn erni-chat__send" });
    this.form = h("form", { class: "erni-chat__form" }, this.inputLabel, this.input, this.sendButton);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => this.autosize());
    this.element = h("div", { class: "erni-chat", "aria-labelledby": `${this.uid}-title` },
      h("div", { class: "erni-chat__header" },
        h("div", { class: "erni-chat__heading" }, this.title, this.subtitle),
        h("div", { class: "erni-chat__tools" }, tools)),
      this.banner, this.log, this.typing, this.status, this.chips, this.form);
    clear(this.root).append(this.element);
    window.addEventListener("offline", () => this.showBanner(this.t.errBrowserOffline, { kind: "offline" }));
    window.addEventListener("online", () => {
      if (this.banner.dataset.kind === "offline") this.hideBanner();
    });
    this.applyTexts();
  }

  applyTexts() {
    const t = this.t;
    this.element.setAttribute("lang", this.lang);
    this.title.textContent = t.title;
    this.subtitle.textContent = t.subtitle;
    this.langGroup.setAttribute("aria-label", t.language);
    for (const button of this.langButtons) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === this.lang));
    }
    this.newButton.textContent = t.newConversation;
    if (this.closeButton) this.closeButton.setAttribute("aria-label", t.closeChat);
    this.log.setAttribute("aria-label", t.log);
    this.chips.setAttribute("aria-label", t.suggestions);
    this.inputLabel.textContent = t.inputLabel;
    this.input.placeholder = t.inputPlaceholder;
    this.sendButton.textContent = t.send;
    if (this.options.onLanguage) this.options.onLanguage(this.lang);
  }

  autosize() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 160)}px`;
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  bubble(entry) {
    const t = this.t;
    if (entry.role === "user") {
      return h("div", { class: "erni-msg erni-msg--user" },
        h("span", { class: "erni-visually-hidden" }, `${t.you}: `),
        h("p", { class: "erni-msg__text" }, entry.content));
    }
    if (entry.role === "booking") return this.bookingCard(entry.booking);
    const body = h("div", { class: "erni-msg__text erni-md" });
    body.append(renderMarkdown(entry.content));
    for (const link of body.querySelectorAll("a[target=_blank]")) {
      link.append(h("span", { class: "erni-visually-hidden" }, ` ${t.newTab}`));
    }
    const label = entry.refusal ? t.refusal : (this.options.showAgents && entry.agent) || t.assistant;
    return h("div", { class: `erni-msg erni-msg--assistant${entry.refusal ? " erni-msg--refusal" : ""}` },
      h("p", { class: "erni-msg__agent" }, label),
      body);
  }

  bookingCard(booking) {
    const t = this.t;
    const row = (term, value) => (value ? [h("dt", {}, term), h("dd", {}, value)] : []);
    const who = [booking.specialist, booking.specialistType ? `(${booking.specialistType})` : ""].join(" ").trim();
    return h("div", { class: "erni-booking", role: "group", "aria-label": t.bookedTitle },
      h("p", { class: "erni-booking__title" }, h("span", { "aria-hidden": "true" }, "✓ "), t.bookedTitle),
      h("dl", { class: "erni-booking__details" },
        row(t.bookedReference, booking.reference),
        row(t.bookedWith, who),
        row(t.bookedDate, formatDate(booking.date, this.lang)),
        row(t.bookedTime, booking.time)),
      h("p", { class: "erni-booking__note" }, t.bookedNote));
  }

  addEntry(entry) {
    this.state.transcript.push(entry);
    this.log.append(this.bubble(entry));
    this.scrollToEnd();
  }

  renderTranscript() {
    clear(this.log);
    for (const entry of this.state.transcript) this.log.append(this.bubble(entry));
    this.scrollToEnd();
  }

  renderChips(response, reply) {
    clear(this.chips);
    const userTurns = this.state.transcript.filter((e) => e.role === "user").length;
    for (const chip of quickReplies({ response, reply, userTurns, t: this.t })) {
      this.chips.append(h("button", {
        type: "button", class: "erni-chip", "data-message": chip.message || "",
        onclick: () => {
          if (chip.focus) {
            this.input.placeholder = this.t.questionPlaceholder;
            this.input.focus();
          } else {
            this.submit(chip.message);
          }
        },
      }, chip.label));
    }
  }

  showBanner(message, { kind = "error", retry = null } = {}) {
    clear(this.banner);
    this.banner.dataset.kind = kind;
    this.bannerText = h("p", {}, message);
    const actions = h("div", { class: "erni-chat__banner-actions" });
    if (retry) actions.append(h("button", { type: "button", class: "erni-btn", onclick: retry }, this.t.retry));
    actions.append(h("button", { type: "button", class: "erni-btn erni-btn--secondary",
      onclick: () => this.hideBanner() }, this.t.dismiss));
    append(this.banner, [this.bannerText, actions]);
    this.banner.hidden = false;
  }

  hideBanner() {
    this.banner.hidden = true;
    delete this.banner.dataset.kind;
    clear(this.banner);
  }

  setBusy(busy) {
    this.busy = busy;
    this.typing.hidden = !busy;
    this.status.textContent = busy ? this.t.typing : "";
    this.sendButton.disabled = busy || Date.now() < this.blockedUntil;
    this.element.classList.toggle("is-busy", busy);
  }

  // ---- conversation ----------------------------------------------------------------------------------

  persist() {
    this.store.save(this.state);
  }

  /** Resume the conversation of this tab, or start one. */
  async init() {
    const saved = this.store.load();
    if (!saved) return this.newConversation();
    this.state = { ...emptyState(this.lang), ...saved, lang: this.lang };
    this.renderTranscript();
    this.setBusy(true);
    try {
      // An empty message with the id returns the server's snapshot: the transcript, the current
      // agent and the context; the transcript of this tab is kept when there is one.
      const response = await this.client.chat({ conversation_id: saved.id, message: "", language: this.lang });
      if (!this.state.transcript.length) this.appendMessages(response.messages || []);
      this.afterTurn(response, lastReply(this.state.transcript), { record: false });
    } catch (err) {
      if (err instanceof ApiError && err.code === "conversation_not_found") {
        await this.newConversation();
        this.showBanner(this.t.errExpired, { kind: "info" });
        return;
      }
      this.handleError(err, () => this.init());
    } finally {
      this.setBusy(false);
    }
  }

  async newConversation() {
    if (this.controller) this.controller.abort();
    this.store.clear();
    this.state = emptyState(this.lang);
    clear(this.log);
    clear(this.chips);
    this.hideBanner();
    if (this.options.onReset) this.options.onReset();
    this.setBusy(true);
    try {
      const response = await this.client.chat({ message: "", language: this.lang });
      this.state.id = response.conversation_id;
      this.appendMessages(response.messages || []);
      this.afterTurn(response, lastReply(this.state.transcript));
    } catch (err) {
      this.handleError(err, () => this.newConversation());
    } finally {
      this.setBusy(false);
    }
  }

  async setLanguage(lang) {
    if (!LANGUAGES.includes(lang) || lang === this.lang) return;
    this.lang = lang;
    this.state.lang = lang;
    this.store.setLanguage(lang);
    this.applyTexts();
    // Before the customer has written anything, greet again in the chosen language.
    const userTurns = this.state.transcript.filter((e) => e.role === "user").length;
    if (userTurns === 0 && !this.busy) {
      await this.newConversation();
    } else {
      this.renderChips(this.lastResponse, lastReply(this.state.transcript));
      this.persist();
    }
  }

  appendMessages(messages) {
    for (const message of messages) {
      // A snapshot (reload in another tab) also returns the customer's own messages.
      this.addEntry({ role: message.role || "assistant", agent: message.agent, content: message.content });
    }
  }

  submit(text) {
    const message = (text ?? this.input.value).trim();
    if (!message || this.busy) return;
    if (Date.now() < this.blockedUntil) return;
    if (text === undefined || text === this.input.value.trim()) this.input.value = "";
    this.autosize();
    this.input.placeholder = this.t.inputPlaceholder;
    this.send(message);
  }

  async send(message) {
    if (!this.state.id) {
      await this.newConversation();
      if (!this.state.id) return;
    }
    this.hideBanner();
    clear(this.chips);
    const userEntry = { role: "user", content: message };
    this.addEntry(userEntry);
    const userNode = this.log.lastElementChild;
    const streaming = h("div", { class: "erni-msg erni-msg--assistant erni-msg--streaming", "aria-hidden": "true" },
      h("p", { class: "erni-msg__text" }));
    let streamed = "";
    this.setBusy(true);
    this.controller = new AbortController();
    try {
      const response = await this.client.stream(
        { conversation_id: this.state.id, message, language: this.lang },
        {
          signal: this.controller.signal,
          onEvent: (event) => {
            this.state.events.push(event);
            if (this.options.onEvent) this.options.onEvent(event);
          },
          onDelta: (chunk) => {
            if (!streamed) this.log.append(streaming);
            streamed += chunk;
            streaming.firstChild.textContent = streamed;
            this.scrollToEnd();
          },
        },
      );
      streaming.remove();
      const refused = refusedBy(response);
      for (const item of response.messages || []) {
        this.addEntry({ role: "assistant", agent: item.agent, content: item.content, refusal: Boolean(refused) });
      }
      this.afterTurn(response, (response.messages || []).map((m) => m.content).join("\n"));
    } catch (err) {
      streaming.remove();
      // The message did not go through: take it back out of the transcript and into the input.
      this.state.transcript = this.state.transcript.filter((entry) => entry !== userEntry);
      userNode.remove();
      if (!this.input.value) this.input.value = message;
      if (err && err.name === "AbortError") return;
      if (err instanceof ApiError && err.code === "conversation_not_found") {
        await this.newConversation();
        this.showBanner(this.t.errExpired, { kind: "info" });
        return;
      }
      this.handleError(err, () => this.submit());
    } finally {
      this.controller = null;
      this.setBusy(false);
      this.input.focus({ preventScroll: true });
    }
  }

  afterTurn(response, reply, { record = true } = {}) {
    this.lastResponse = response;
    this.state.id = response.conversation_id;
    const ctx = response.context || {};
    if (ctx.consultation_booked && ctx.booking_reference && !this.state.bookings.includes(ctx.booking_reference)) {
      this.state.bookings.push(ctx.booking_reference);
      this.addEntry({ role: "booking", booking: {
        reference: ctx.booking_reference,
        specialist: ctx.specialist_assigned,
        specialistType: ctx.specialist_type,
        date: ctx.preferred_date,
        time: ctx.preferred_time,
      } });
    }
    if (record && this.options.onEvent) {
      // Events of non-streamed calls (greeting) reach the panel here; streamed ones arrived live.
      const known = new Set(this.state.events.map((e) => e.id));
      for (const event of response.events || []) {
        if (known.has(event.id)) continue;
        this.state.events.push(event);
        this.options.onEvent(event);
      }
    }
    this.renderChips(response, reply);
    this.persist();
    if (this.options.onResult) this.options.onResult(response);
  }

  handleError(err, retry) {
    const t = this.t;
    if (err instanceof NetworkError || (err instanceof TypeError)) {
      this.showBanner(navigator.onLine === false ? t.errBrowserOffline : t.errOffline, { kind: "offline", retry });
      return;
    }
    if (!(err instanceof ApiError)) {
      console.error(err);
      this.showBanner(t.errGeneric, { retry });
      return;
    }
    if (err.status === 429) return this.rateLimited(err.retryAfter ?? 30);
    if (err.status === 503) return this.showBanner(t.errUnavailable, { kind: "unavailable", retry });
    if (err.status === 409) return this.showBanner(t.errBusy, { kind: "busy", retry });
    if (err.status === 422) return this.showBanner(err.message || t.errGeneric, { kind: "invalid" });
    this.showBanner(t.errGeneric, { retry });
  }

  rateLimited(seconds) {
    this.blockedUntil = Date.now() + seconds * 1000;
    this.sendButton.disabled = true;
    this.showBanner(this.t.errRate(seconds), { kind: "rate-limit" });
    clearInterval(this.countdown);
    this.countdown = setInterval(() => {
      const left = Math.ceil((this.blockedUntil - Date.now()) / 1000);
      const showing = this.banner.dataset.kind === "rate-limit";
      if (left <= 0) {
        clearInterval(this.countdown);
        if (showing) this.hideBanner();
        this.sendButton.disabled = this.busy;
        return;
      }
      if (showing && this.bannerText) this.bannerText.textContent = this.t.errRate(left);
    }, 1000);
  }
}

function emptyState(lang) {
  return { id: null, lang, transcript: [], events: [], bookings: [] };
}

function lastReply(transcript) {
  for (let i = transcript.length - 1; i >= 0; i--) {
    if (transcript[i].role === "assistant") return transcript[i].content;
  }
  return "";
}

function formatDate(iso, lang) {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso || "";
  const date = new Date(`${iso}T12:00:00Z`);
  return new Intl.DateTimeFormat(locale(lang), {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  }).format(date);
}
