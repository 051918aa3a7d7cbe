// Which quick replies to offer after a turn, from the reply, its events and the context.
const TIME = /\b([01]?\d|2[0-3])[:.]([0-5]\d)\b/g;
const BOOKING_AGENT = "Appointment Booking Agent";
const TRIAGE_AGENT = "Triage Agent";

export function timesIn(text) {
  const found = [];
  for (const match of String(text || "").matchAll(TIME)) {
    const time = `${match[1].padStart(2, "0")}:${match[2]}`;
    if (!found.includes(time)) found.push(time);
  }
  return found;
}

/** Free slots offered this turn: from check_specialist_availability's output, else from the reply. */
export function offeredSlots(events, reply, context) {
  const ctx = context || {};
  if (ctx.consultation_booked) return [];
  let lastSlots = null;
  for (const event of events || []) {
    const result = event.type === "tool_output" ? event.metadata?.tool_result : null;
    if (result && Array.isArray(result.free_slots)) lastSlots = result.free_slots.map(String);
  }
  if (lastSlots) return lastSlots.filter((s) => /^\d{1,2}:\d{2}$/.test(s));
  if (ctx.preferred_date && !ctx.preferred_time) return timesIn(reply);
  return [];
}

/**
 * Returns [{label, message}] or [{label, focus: true}] (the "Fragen" chip only focuses the input).
 */
export function quickReplies({ response, reply, userTurns, t }) {
  const agent = response?.current_agent;
  const ctx = response?.context || {};
  const slots = offeredSlots(response?.events, reply, ctx);
  if (slots.length) return slots.map((time) => ({ label: t.slotChip(time), message: time }));
  if (reply && reply.includes("🗓") && !ctx.consultation_booked) {
    return [{ label: t.offerYes, message: t.msgOfferYes }];
  }
  if (agent === BOOKING_AGENT && !ctx.specialist_type && !ctx.consultation_booked) {
    return t.specialists.map(([label, message]) => ({ label, message }));
  }
  if (userTurns === 0 || agent === TRIAGE_AGENT) {
    return [
      { label: t.taskCost, message: t.msgCost },
      { label: t.taskBooking, message: t.msgBooking },
      { label: t.taskStatus, message: t.msgStatus },
      { label: t.taskQuestions, focus: true },
    ];
  }
  return [];
}

export function refusedBy(response) {
  return (response?.guardrails || []).find((check) => check && check.passed === false) || null;
}
