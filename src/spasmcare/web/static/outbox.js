// Records made in the browser (timer sessions) go to the JSON API. When the
// connection is down they wait in localStorage and are sent once it is back.
// Each carries its own Idempotency-Key, made when it was recorded, so sending
// it again (the answer was lost, or two tabs flush the same queue) stores it
// once.
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
    headers: { "Content-Type": "application/json", "Accept": "application/json",
               "Idempotency-Key": item.id },
    body: JSON.stringify(item.body),
  });
  // 32 random hex digits (crypto.randomUUID needs a secure context, which a
  // phone reaching the app over the local network is not).
  const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)),
                                  (b) => b.toString(16).padStart(2, "0")).join("");

  // {status: "sent"} | {status: "queued"} | {status: "rejected", detail}
  async function send(url, body) {
    const item = { id: newKey(), url, body };
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
