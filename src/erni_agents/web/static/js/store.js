// Per-tab conversation memory (sessionStorage): survives a reload, not a new tab; no tokens here.
const MAX_EVENTS = 300;

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled (privacy mode, sandboxed frame): the chat still works without it
  }
}

export class ConversationStore {
  constructor(prefix) {
    this.key = `${prefix}.conversation`;
    this.langKey = `${prefix}.lang`;
  }

  load() {
    const raw = storage()?.getItem(this.key);
    if (!raw) return null;
    try {
      const value = JSON.parse(raw);
      return value && typeof value.id === "string" ? value : null;
    } catch {
      return null;
    }
  }

  save(state) {
    const value = { ...state, events: (state.events || []).slice(-MAX_EVENTS) };
    try {
      storage()?.setItem(this.key, JSON.stringify(value));
    } catch {
      // Quota exceeded: drop the event history first, the transcript matters more.
      try {
        storage()?.setItem(this.key, JSON.stringify({ ...value, events: [] }));
      } catch {
        storage()?.removeItem(this.key);
      }
    }
  }

  clear() {
    storage()?.removeItem(this.key);
  }

  language() {
    return storage()?.getItem(this.langKey) || null;
  }

  setLanguage(lang) {
    try {
      storage()?.setItem(this.langKey, lang);
    } catch {
      // not persisted: the switch still applies to this page
    }
  }
}
