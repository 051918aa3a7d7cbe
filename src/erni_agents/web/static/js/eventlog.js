// One line of the event log (agent panel and staff console): everything shown as text.
import { h, pretty } from "./dom.js";

const LABELS = {
  message: "Nachricht",
  handoff: "Übergabe",
  tool_call: "Tool-Aufruf",
  tool_output: "Tool-Ergebnis",
  context_update: "Kontext",
};

function time(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString("de-CH");
}

function detail(event) {
  const meta = event.metadata || {};
  switch (event.type) {
    case "handoff":
      return h("p", {}, `${meta.source_agent || event.agent} → ${meta.target_agent || ""}`);
    case "tool_call":
      return [h("p", {}, h("code", {}, event.content)), h("pre", {}, pretty(meta.tool_args ?? {}))];
    case "tool_output":
      return h("pre", {}, pretty(meta.tool_result ?? event.content));
    case "context_update":
      return h("pre", {}, pretty(meta.changes ?? event.content));
    default:
      return [
        h("p", { class: "event__content" }, event.content),
        meta.guardrail ? h("p", { class: "event__guardrail" }, `Guardrail: ${meta.guardrail}`) : null,
      ];
  }
}

export function eventItem(event) {
  return h("li", { class: `event event--${event.type}`, "data-type": event.type },
    h("p", { class: "event__head" },
      h("span", { class: "event__type" }, LABELS[event.type] || event.type),
      h("span", { class: "event__agent" }, event.agent),
      h("time", { datetime: event.timestamp }, time(event.timestamp))),
    detail(event));
}
