// The staff console at /console. The access token lives in this module's memory only (never in
// localStorage or a readable cookie): a reload means logging in again.
import { clear, h } from "./dom.js";
import { eventItem } from "./eventlog.js";

const $ = (id) => document.getElementById(id);
const loginView = $("login-view");
const appView = $("app-view");
const loginForm = $("login-form");
const loginError = $("login-error");
const statusLine = $("console-status");
const session = $("session");

let token = null;
let me = null;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, { method = "GET", body = null, raw = false } = {}) {
  const headers = { Accept: raw ? "text/csv" : "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : null });
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      message = (await response.json()).error?.message || message;
    } catch {
      // keep the status line
    }
    if (response.status === 401 && token) logout("Sitzung abgelaufen. Bitte melden Sie sich erneut an.");
    throw new HttpError(response.status, message);
  }
  return raw ? response.blob() : response.json();
}

const dateTime = new Intl.DateTimeFormat("de-CH", {
  weekday: "short", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit",
  timeZone: "Europe/Zurich",
});
const fmt = (iso) => (iso ? dateTime.format(new Date(iso)) : "");
const chf = (value) => (value === null || value === undefined ? "" : `CHF ${Number(value).toLocaleString("de-CH")}`);

function table(headers, rows, caption) {
  return h("div", { class: "table-wrap" },
    h("table", {},
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, headers.map((title) => h("th", { scope: "col" }, title)))),
      h("tbody", {}, rows)));
}

function say(message) {
  statusLine.textContent = message;
}

// ---- login ------------------------------------------------------------------------------------------

loginForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  loginError.textContent = "";
  const username = $("username").value.trim();
  const password = $("password").value;
  if (!username || !password) {
    loginError.textContent = "Bitte Benutzername und Passwort eingeben.";
    return;
  }
  try {
    const answer = await api("/staff/login", { method: "POST", body: { username, password } });
    token = answer.access_token;
    me = { username: answer.username, role: answer.role };
    $("password").value = "";
    showApp();
  } catch (err) {
    loginError.textContent = err.status === 401 || err.status === 400
      ? "Benutzername oder Passwort ist falsch."
      : err.status === 429 ? "Zu viele Anmeldeversuche. Bitte warten Sie einen Moment." : `Anmeldung fehlgeschlagen (${err.message}).`;
  }
});

function logout(message = "") {
  token = null;
  me = null;
  appView.hidden = true;
  session.hidden = true;
  loginView.hidden = false;
  loginError.textContent = message;
  $("username").focus();
}

$("logout").addEventListener("click", () => logout());

function showApp() {
  loginView.hidden = true;
  appView.hidden = false;
  session.hidden = false;
  $("session-user").textContent = `${me.username} (${me.role})`;
  selectTab("bookings");
}

// ---- tabs -------------------------------------------------------------------------------------------

const TABS = ["bookings", "inquiries", "conversations", "trips"];
const loaders = { bookings: loadBookings, inquiries: loadInquiries, conversations: loadConversations, trips: loadTrips };

function selectTab(name, focus = false) {
  for (const tab of TABS) {
    const button = $(`tab-${tab}`);
    const selected = tab === name;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`panel-${tab}`).hidden = !selected;
    if (selected && focus) button.focus();
  }
  say("Wird geladen …");
  loaders[name]().then(() => say("")).catch((err) => say(`Laden fehlgeschlagen: ${err.message}`));
}

for (const [index, tab] of TABS.entries()) {
  const button = $(`tab-${tab}`);
  button.addEventListener("click", () => selectTab(tab));
  button.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step) selectTab(TABS[(index + step + TABS.length) % TABS.length], true);
    if (event.key === "Home") selectTab(TABS[0], true);
    if (event.key === "End") selectTab(TABS[TABS.length - 1], true);
  });
}

// ---- bookings ---------------------------------------------------------------------------------------

async function loadBookings() {
  const panel = clear($("panel-bookings"));
  const bookings = await api("/staff/bookings?status=active&upcoming=true");
  panel.append(h("h2", {}, "Kommende Termine"));
  if (!bookings.length) {
    panel.append(h("p", { class: "muted" }, "Keine kommenden Termine."));
    return;
  }
  const bySpecialist = new Map();
  for (const booking of bookings) {
    const key = `${booking.specialist_name} · ${booking.specialist_type}`;
    if (!bySpecialist.has(key)) bySpecialist.set(key, []);
    bySpecialist.get(key).push(booking);
  }
  const canCancel = me && me.role !== "viewer";
  for (const [specialist, list] of bySpecialist) {
    list.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
    const rows = list.map((booking) => bookingRow(booking, canCancel));
    panel.append(h("section", { class: "specialist" }, h("h3", {}, specialist),
      table(["Termin", "Referenz", "Kunde", "Kontakt", "Gespräch", canCancel ? "Aktion" : null].filter(Boolean),
        rows, `Termine ${specialist}`)));
  }
}

function bookingRow(booking, canCancel) {
  const actions = h("td", {});
  const row = h("tr", { "data-reference": booking.reference },
    h("td", {}, fmt(booking.starts_at)),
    h("td", {}, h("code", {}, booking.reference)),
    h("td", {}, booking.customer_name),
    h("td", {}, h("span", { class: "contact" }, booking.customer_email), h("span", { class: "contact" }, booking.customer_phone)),
    h("td", {}, booking.conversation_id
      ? h("button", { type: "button", class: "btn btn-link", onclick: () => openConversation(booking.conversation_id) },
        "Verlauf")
      : "–"));
  if (canCancel) {
    row.append(actions);
    const ask = h("button", { type: "button", class: "btn btn-danger", "data-action": "cancel" }, "Stornieren");
    ask.addEventListener("click", () => {
      const confirm = h("button", { type: "button", class: "btn btn-danger", "data-action": "confirm-cancel" },
        `Termin ${booking.reference} stornieren`);
      const keep = h("button", { type: "button", class: "btn btn-secondary" }, "Behalten");
      keep.addEventListener("click", () => {
        clear(actions).append(ask);
        ask.focus();
      });
      confirm.addEventListener("click", async () => {
        confirm.disabled = true;
        try {
          await api(`/staff/bookings/${encodeURIComponent(booking.id)}/cancel`, { method: "POST" });
          say(`Termin ${booking.reference} wurde storniert; der Kunde erhält eine Absage per E-Mail.`);
          await loadBookings();
        } catch (err) {
          confirm.disabled = false;
          say(err.status === 403 ? "Keine Berechtigung zum Stornieren." : `Stornieren fehlgeschlagen: ${err.message}`);
        }
      });
      clear(actions).append(confirm, keep);
      confirm.focus();
    });
    actions.append(ask);
  }
  return row;
}

// ---- inquiries --------------------------------------------------------------------------------------

async function loadInquiries() {
  const panel = clear($("panel-inquiries"));
  const inquiries = await api("/staff/inquiries");
  const exportButton = h("button", { type: "button", class: "btn", "data-action": "export" }, "CSV exportieren");
  exportButton.addEventListener("click", exportCsv);
  panel.append(h("div", { class: "panel-head" }, h("h2", {}, "Anfragen und Schätzungen"), exportButton));
  if (!inquiries.length) {
    panel.append(h("p", { class: "muted" }, "Noch keine Anfragen."));
    return;
  }
  const rows = inquiries.map((item) => h("tr", {},
    h("td", {}, fmt(item.created_at)),
    h("td", {}, item.project_type || ""),
    h("td", {}, item.construction_type || ""),
    h("td", { class: "num" }, item.area_sqm ? `${item.area_sqm} m²` : ""),
    h("td", { class: "num" }, item.min_chf ? `${chf(item.min_chf)} – ${chf(item.max_chf)}` : ""),
    h("td", {}, item.customer_name || "–"),
    h("td", {}, h("span", { class: "contact" }, item.customer_email || ""),
      h("span", { class: "contact" }, item.customer_phone || ""))));
  panel.append(table(["Datum", "Projekt", "Bauweise", "Fläche", "Schätzung", "Kunde", "Kontakt"], rows, "Anfragen"));
}

async function exportCsv() {
  try {
    const blob = await api("/staff/inquiries.csv", { raw: true });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: `erni-anfragen-${new Date().toISOString().slice(0, 10)}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    say("CSV-Datei wurde heruntergeladen.");
  } catch (err) {
    say(`Export fehlgeschlagen: ${err.message}`);
  }
}

// ---- conversations ----------------------------------------------------------------------------------

async function loadConversations() {
  const panel = clear($("panel-conversations"));
  const conversations = await api("/staff/conversations");
  panel.append(h("h2", {}, "Gespräche"));
  if (!conversations.length) {
    panel.append(h("p", { class: "muted" }, "Noch keine Gespräche."));
    return;
  }
  const rows = conversations.map((item) => h("tr", {},
    h("td", {}, fmt(item.updated_at)),
    h("td", {}, h("code", {}, item.id.slice(0, 12))),
    h("td", {}, item.current_agent),
    h("td", {}, item.language),
    h("td", { class: "num" }, String(item.turn_count)),
    h("td", {}, h("button", { type: "button", class: "btn btn-link", onclick: () => openConversation(item.id) },
      "Öffnen"))));
  panel.append(table(["Zuletzt", "ID", "Agent", "Sprache", "Runden", ""], rows, "Gespräche"),
    h("div", { id: "transcript", class: "transcript" }));
}

async function openConversation(id) {
  if ($("panel-conversations").hidden || !$("transcript")) {
    selectTab("conversations");
    await loaders.conversations();
  }
  const target = clear($("transcript"));
  const detail = await api(`/staff/conversations/${encodeURIComponent(id)}`);
  const heading = h("h3", { tabindex: "-1" }, `Gespräch ${id.slice(0, 12)}`);
  const messages = h("ol", { class: "messages" }, (detail.messages || []).map((m) =>
    h("li", { class: `message message--${m.role}` },
      h("p", { class: "message__head" }, m.role === "user" ? "Kunde" : m.agent || m.role,
        h("time", { datetime: m.created_at }, ` · ${fmt(m.created_at)}`)),
      h("p", { class: "message__content" }, m.content))));
  const events = h("ol", { class: "event-log" }, (detail.events || []).map(eventItem));
  target.append(heading, h("div", { class: "transcript__grid" },
    h("section", {}, h("h4", {}, "Verlauf"), messages),
    h("section", {}, h("h4", {}, "Ereignisse"), events)));
  heading.focus();
}

// ---- guardrail trips --------------------------------------------------------------------------------

async function loadTrips() {
  const panel = clear($("panel-trips"));
  const trips = await api("/staff/guardrail-trips");
  panel.append(h("h2", {}, "Guardrail-Auslösungen"));
  if (!trips.length) {
    panel.append(h("p", { class: "muted" }, "Keine Auslösungen."));
    return;
  }
  const rows = trips.map((trip) => h("tr", {},
    h("td", {}, fmt(trip.created_at)),
    h("td", {}, trip.guardrail),
    h("td", {}, trip.reasoning),
    h("td", {}, trip.conversation_id
      ? h("button", { type: "button", class: "btn btn-link", onclick: () => openConversation(trip.conversation_id) },
        "Verlauf")
      : "–")));
  panel.append(table(["Zeit", "Guardrail", "Begründung", "Gespräch"], rows, "Guardrail-Auslösungen"));
}

$("username").focus();
