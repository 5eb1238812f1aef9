// The session timer. Its state (kind, start time, length) lives in
// localStorage, so it survives a reload, and the time left is always worked
// out from the start time, never counted down tick by tick: a phone that
// sleeps, or a throttled background tab, cannot stretch it.
(() => {
  "use strict";
  const root = document.getElementById("timer");
  if (!root) return;
  const KEY = "spasmcare.timer";
  const kind = root.dataset.kind;
  const label = root.dataset.label;
  const pageLength = Number(root.dataset.seconds);
  const minRecord = Number(root.dataset.minRecord);
  const $ = (id) => document.getElementById(id);
  const remaining = $("remaining");
  const status = $("timer-status");
  let state = load();
  let painBefore = null;
  let tick = null;
  let endTimer = null;
  let audio = null;
  let wakeLock = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function store(next) {
    state = next;
    if (next) localStorage.setItem(KEY, JSON.stringify(next));
    else localStorage.removeItem(KEY);
  }
  const pad = (n) => String(n).padStart(2, "0");
  const clock = (seconds) => {
    const whole = Math.ceil(seconds);
    return pad(Math.floor(whole / 60)) + ":" + pad(whole % 60);
  };
  const left = (s, now) => Math.max(0, s.length - (now - s.startedAt) / 1000);
  function isoLocal(ms) {
    const d = new Date(ms);
    const offset = -d.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const abs = Math.abs(offset);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  function show(phase) {
    root.dataset.state = phase;
    for (const part of root.querySelectorAll("[data-phase]")) part.hidden = part.dataset.phase !== phase;
  }
  function say(text) { status.textContent = text; }
  function showTime(seconds) {
    remaining.textContent = clock(seconds);
    remaining.dataset.remaining = String(Math.ceil(seconds));
  }

  // --- running ---------------------------------------------------------------
  function render() {
    if (!state || state.phase !== "running") return;
    const seconds = left(state, Date.now());
    showTime(seconds);
    document.title = clock(seconds) + " · " + label;
    if (seconds <= 0) finish(true, true);
  }

  function run() {
    show("running");
    render();
    clearInterval(tick);
    clearTimeout(endTimer);
    tick = setInterval(render, 250);
    endTimer = setTimeout(render, left(state, Date.now()) * 1000 + 50);
    keepAwake();
    if ("Notification" in window && Notification.permission === "default") $("notify-offer").hidden = false;
  }

  function start() {
    unlockAudio();
    store({ kind, sessionKind: root.dataset.sessionKind, path: location.pathname + location.search,
            startedAt: Date.now(), length: pageLength, painBefore, phase: "running" });
    say(label + " timer started.");
    run();
  }

  function finish(completed, alert) {
    clearInterval(tick);
    clearTimeout(endTimer);
    letSleep();
    const now = Date.now();
    const done = completed ? state.length : Math.min(state.length, (now - state.startedAt) / 1000);
    if (!completed && done < minRecord) {
      store(null);
      showTime(pageLength);
      show("ready");
      say("Stopped after under " + minRecord + " seconds, so nothing was saved.");
      return;
    }
    store({ ...state, phase: "finished", completed, doneSeconds: done, endedAt: now });
    showFinished();
    if (alert) { beep(); notify(); }
  }

  function showFinished() {
    showTime(state.completed ? 0 : state.length - state.doneSeconds);
    document.title = (state.completed ? "Done" : "Stopped") + " · " + label;
    say(state.completed ? "Done: " + clock(state.length) + " of " + label.toLowerCase() + "."
                        : "Stopped after " + clock(state.doneSeconds) + ".");
    show("finished");
  }

  // --- recording -------------------------------------------------------------
  async function record(painAfter) {
    const s = state;
    if (!s || s.phase !== "finished") return;  // already on its way
    const body = {
      kind: s.sessionKind, started_at: isoLocal(s.startedAt),
      minutes: Math.max(0.01, Math.round(s.doneSeconds / 60 * 100) / 100),
      pain_before: s.painBefore, pain_after: painAfter, completed: s.completed,
    };
    store(null);
    show("saved");
    say("Saving…");
    const result = await window.SpasmOutbox.send("/api/sessions", body);
    say(result.status === "sent" ? "Saved in your diary."
      : result.status === "queued" ? "Saved on this phone. It goes into your diary when you are back online."
      : "Not saved: " + result.detail);
    root.dataset.saved = result.status;
  }

  // --- sound, notification, screen -------------------------------------------
  function unlockAudio() {
    try {
      const Context = window.AudioContext || window.webkitAudioContext;
      audio = audio || new Context();
      audio.resume();
    } catch (e) { audio = null; }
  }
  function beep() {
    try {
      if (!audio) unlockAudio();
      const t0 = audio.currentTime + 0.05;
      for (let i = 0; i < 3; i++) {
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        const t = t0 + i * 0.4;
        tone.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.5, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
        tone.connect(gain).connect(audio.destination);
        tone.start(t);
        tone.stop(t + 0.32);
      }
    } catch (e) { /* no sound: the screen still says it is done */ }
  }
  async function askNotify() {
    $("notify-offer").hidden = true;
    try { await Notification.requestPermission(); } catch (e) { /* never required */ }
  }
  async function notify() {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const title = label + " session done";
    const options = { body: "How is your pain now? Tap to record it.", tag: "spasmcare-timer",
                      icon: "/static/icon.svg" };
    try {
      const reg = navigator.serviceWorker && await navigator.serviceWorker.getRegistration();
      if (reg) { await reg.showNotification(title, options); return; }
    } catch (e) { /* fall back to a page notification */ }
    try { new Notification(title, options); } catch (e) { /* not supported here */ }
  }
  async function keepAwake() {
    try { wakeLock = await navigator.wakeLock.request("screen"); } catch (e) { wakeLock = null; }
  }
  function letSleep() {
    if (wakeLock) wakeLock.release().catch(() => {});
    wakeLock = null;
  }

  // --- wiring ----------------------------------------------------------------
  for (const button of root.querySelectorAll("[data-pain-before]")) {
    button.addEventListener("click", () => {
      const value = Number(button.dataset.painBefore);
      painBefore = painBefore === value ? null : value;
      for (const other of root.querySelectorAll("[data-pain-before]")) {
        other.setAttribute("aria-pressed", String(Number(other.dataset.painBefore) === painBefore));
      }
    });
  }
  for (const button of root.querySelectorAll("[data-pain-after]")) {
    button.addEventListener("click", () => record(Number(button.dataset.painAfter)));
  }
  $("save-no-score").addEventListener("click", () => record(null));
  $("timer-start").addEventListener("click", start);
  $("timer-stop").addEventListener("click", () => finish(false, false));
  $("notify-yes").addEventListener("click", askNotify);
  $("timer-again").addEventListener("click", () => { showTime(pageLength); say(""); show("ready"); });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || !state || state.phase !== "running") return;
    render();
    if (state && state.phase === "running") keepAwake();
  });

  if (state && state.kind !== kind) {
    const other = $("other-timer");
    other.querySelector("a").href = state.path;
    other.querySelector("a").textContent = "Open your " + state.kind + " timer";
    other.hidden = false;
    $("timer-start").disabled = true;
    state = null;  // this page leaves the other timer alone
  } else if (state && state.phase === "running") {
    if (left(state, Date.now()) > 0) run();
    else finish(true, false);
  } else if (state && state.phase === "finished") {
    showFinished();
  }
})();
