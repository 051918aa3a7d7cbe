// The agent panel at /panel: the chat beside the agents, guardrails, context and a live event log.
import { createClient } from "./api.js";
import { ChatView } from "./chat.js";
import { clear, h, pretty } from "./dom.js";
import { eventItem } from "./eventlog.js";

const agentsList = document.getElementById("agents");
const guardrailsList = document.getElementById("guardrails");
const contextList = document.getElementById("context");
const eventLog = document.getElementById("events");
let agents = [];
let current = "Triage Agent";

function renderAgents() {
  clear(agentsList);
  for (const agent of agents) {
    const active = agent.name === current;
    agentsList.append(h("li", { class: `agent${active ? " agent--active" : ""}`, "aria-current": active ? "true" : false },
      h("p", { class: "agent__name" }, agent.name, active ? h("span", { class: "agent__badge" }, "aktiv") : null),
      h("p", { class: "agent__description" }, agent.description),
      agent.tools.length ? h("p", { class: "agent__tools" }, `Tools: ${agent.tools.join(", ")}`) : null));
  }
}

function renderGuardrails(checks) {
  clear(guardrailsList);
  if (!checks.length) {
    guardrailsList.append(h("li", { class: "muted" }, "Keine Prüfung in dieser Runde."));
    return;
  }
  for (const check of checks) {
    guardrailsList.append(h("li", { class: `guardrail ${check.passed ? "guardrail--passed" : "guardrail--failed"}` },
      h("p", { class: "guardrail__name" }, check.name,
        h("span", { class: "guardrail__verdict" }, check.passed ? "bestanden" : "ausgelöst")),
      h("p", { class: "guardrail__reason" }, check.reasoning)));
  }
}

function renderContext(context) {
  clear(contextList);
  for (const [key, value] of Object.entries(context || {})) {
    if (value === null || value === "" || value === false) continue;
    contextList.append(h("dt", {}, key), h("dd", {}, pretty(value)));
  }
}

function addEvent(event) {
  eventLog.append(eventItem(event));
  eventLog.scrollTop = eventLog.scrollHeight;
}

const view = new ChatView(document.getElementById("chat-root"), {
  storePrefix: "erni",
  inputId: "erni-chat-input",
  headingLevel: 1,
  showAgents: true,
  onLanguage(lang) {
    document.documentElement.lang = lang;
  },
  onEvent(event) {
    addEvent(event);
    if (event.type === "handoff" && event.metadata?.target_agent) {
      current = event.metadata.target_agent;
      renderAgents();
    }
  },
  onResult(response) {
    current = response.current_agent;
    if (response.agents?.length) agents = response.agents;
    renderAgents();
    renderGuardrails(response.guardrails || []);
    renderContext(response.context);
  },
  onReset() {
    clear(eventLog);
    renderGuardrails([]);
  },
});

// Events of this tab's conversation survive a reload with the transcript.
for (const event of view.store.load()?.events || []) addEvent(event);
createClient("").agents().then((list) => {
  agents = list;
  renderAgents();
}).catch(() => {
  agentsList.append(h("li", { class: "muted" }, "Agentenliste nicht verfügbar."));
});
view.init();
