// Records made in the browser (timer sessions) go to the JSON API. When the
// connection is down they wait in localStorage and are sent once it is back.
window.SpasmOutbox = (() => {
  "use strict";
  const KEY = "spasmcare.outbox";

  const read = () => {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  };
  const write = (items) => {
    if (items.length) localStorage.setItem(KEY, JSON.stringify(items));
    else localStorage.removeItem(KEY);
  };
  const post = (item) => fetch(item.url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept": "application/json" },
    body: JSON.stringify(item.body),
  });

  // {status: "sent"} | {status: "queued"} | {status: "rejected", detail}
  async function send(url, body) {
    const item = { id: Date.now() + "-" + Math.random().toString(16).slice(2), url, body };
    try {
      const answer = await post(item);
      if (answer.ok) return { status: "sent" };
      if (answer.status >= 400 && answer.status < 500) {
        const reply = await answer.json().catch(() => ({}));
        return { status: "rejected", detail: reply.detail || "The diary did not accept it." };
      }
    } catch (e) { /* offline: keep it for later */ }
    write([...read(), item]);
    return { status: "queued" };
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (const item of read()) {
        let answer;
        try { answer = await post(item); } catch (e) { break; }
        if (answer.status >= 500) break;
        // Sent, or refused for good (4xx): either way it leaves the queue.
        write(read().filter((other) => other.id !== item.id));
      }
    } finally {
      flushing = false;
    }
  }

  window.addEventListener("online", flush);
  if (document.readyState === "complete") flush();
  else window.addEventListener("load", flush);
  return { send, flush, pending: () => read().length };
})();
