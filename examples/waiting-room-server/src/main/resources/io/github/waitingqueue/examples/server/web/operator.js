// The operator's view: polls the event's stats once a second, draws the queue length, edits settings.
"use strict";

const WINDOW_S = 300;
const samples = [];          // {t, waiting, entered}
let eventId = null, timer = null, settingsShown = false;

function adminHeaders() {
  const token = $("admin-token").value.trim();
  sessionStorage.setItem("wq.admin", token);
  return token ? { Authorization: "Bearer " + token } : {};
}

function watch(event) {
  if (event) event.preventDefault();
  eventId = $("event-id").value.trim();
  history.replaceState(null, "", "?event=" + encodeURIComponent(eventId));
  $("room-link").href = "/?event=" + encodeURIComponent(eventId);
  samples.length = 0;
  settingsShown = false;
  clearTimeout(timer);
  refresh();
}

async function refresh() {
  const result = await api("GET", "queue/stats?event_id=" + encodeURIComponent(eventId));
  const dot = $("live-dot");
  if (result.status === 200) {
    const s = result.body;
    dot.className = "live-dot";
    $("event-state").textContent = s.state;
    $("event-state").className = "state-pill " + s.state;
    $("event-note").textContent = !s.exists ? "not created yet: the first join creates it"
      : s.opens_at ? "opens at " + new Date(s.opens_at).toLocaleTimeString() : "";
    samples.push({ t: Date.now(), waiting: s.waiting, entered: s.total_entered });
    while (samples.length && samples[0].t < Date.now() - WINDOW_S * 1000) samples.shift();
    showStats(s);
    if (!settingsShown) { showSettings(s.settings); settingsShown = true; }
    draw();
  } else {
    dot.className = "live-dot warn";
    $("event-state").textContent = errorText(result);
  }
  timer = setTimeout(refresh, 1000);
}

function showStats(s) {
  const n = (x) => Number(x).toLocaleString();
  $("stat-waiting").textContent = n(s.waiting);
  $("stat-admitted").textContent = n(s.admitted);
  $("stat-joined").textContent = n(s.total_joined);
  $("stat-entered").textContent = n(s.total_entered);
  $("stat-left").textContent = n(s.total_left);
  $("stat-evicted").textContent = n(s.total_evicted);
  $("stat-capacity-sub").textContent = s.settings.capacity ? "of " + n(s.settings.capacity) + " capacity" : "no capacity limit";
  // The queue's own moving average once it has one; until then, what this page saw in the last 10 s.
  let rate = s.measured_admission_rate;
  if (!rate) {
    const recent = samples.filter((p) => p.t >= Date.now() - 10000);
    if (recent.length > 1) {
      const a = recent[0], b = recent[recent.length - 1];
      rate = (b.entered - a.entered) / Math.max(1, (b.t - a.t) / 1000);
    }
  }
  $("stat-rate").textContent = rate.toFixed(rate < 10 ? 1 : 0) + "/s";
  $("stat-rate-sub").textContent = "measured · limit " + s.settings.admission_rate + "/s";
}

function showSettings(settings) {
  $("set-rate").value = settings.admission_rate;
  $("set-burst").value = settings.burst;
  $("set-capacity").value = settings.capacity;
  $("set-ttl").value = settings.reservation_ttl_sec;
  $("set-idle").value = settings.idle_timeout_sec;
  $("set-grace").value = settings.ready_grace_sec;
}

async function lifecycle(action, extra) {
  const result = await api("POST", "admin/" + action, Object.assign({ event_id: eventId }, extra), adminHeaders());
  if (result.status === 200) toast("Event is now " + result.body.state, true);
  else toast(errorText(result));
}

async function saveSettings(event) {
  event.preventDefault();
  const body = {
    event_id: eventId,
    admission_rate: Number($("set-rate").value),
    burst: Number($("set-burst").value),
    capacity: Number($("set-capacity").value),
    reservation_ttl_sec: Number($("set-ttl").value),
    idle_timeout_sec: Number($("set-idle").value),
    ready_grace_sec: Number($("set-grace").value),
  };
  const result = await api("POST", "admin/settings", body, adminHeaders());
  if (result.status === 200) { showSettings(result.body.settings); toast("Settings saved", true); }
  else toast(errorText(result));
}

/** Queue length over the last five minutes: an area chart on the canvas, scaled for the screen. */
function draw() {
  const canvas = $("chart");
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== w * ratio) { canvas.width = w * ratio; canvas.height = h * ratio; }
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  const pad = { l: 48, r: 12, t: 12, b: 26 };
  // The window grows with the data, from one minute up to five, so a fresh chart is not a sliver.
  const now = Date.now();
  const span = Math.min(WINDOW_S, Math.max(60, samples.length ? (now - samples[0].t) / 1000 : 0));
  const from = now - span * 1000;
  const max = Math.max(5, ...samples.map((p) => p.waiting));
  const top = niceCeil(max);
  const x = (t) => pad.l + (w - pad.l - pad.r) * (t - from) / (span * 1000);
  const y = (v) => h - pad.b - (h - pad.t - pad.b) * v / top;

  g.font = "12px system-ui, sans-serif";
  g.fillStyle = "#9aa4c2";
  g.strokeStyle = "rgba(255,255,255,0.08)";
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = top * i / 4, yy = Math.round(y(v)) + 0.5;
    g.beginPath(); g.moveTo(pad.l, yy); g.lineTo(w - pad.r, yy); g.stroke();
    g.textAlign = "right"; g.fillText(Math.round(v).toLocaleString(), pad.l - 8, yy + 4);
  }
  g.textAlign = "center";
  for (let i = 0; i <= 5; i++) {
    const ago = Math.round(span * (5 - i) / 5);
    g.fillText(i === 5 ? "now" : "-" + (ago >= 120 ? Math.round(ago / 60) + " min" : ago + " s"), x(from + span * 200 * i), h - 6);
  }
  if (samples.length < 2) return;

  const gradient = g.createLinearGradient(0, pad.t, 0, h - pad.b);
  gradient.addColorStop(0, "rgba(124,92,255,0.55)");
  gradient.addColorStop(1, "rgba(34,211,238,0.05)");
  g.beginPath();
  g.moveTo(x(samples[0].t), y(0));
  for (const p of samples) g.lineTo(x(p.t), y(p.waiting));
  g.lineTo(x(samples[samples.length - 1].t), y(0));
  g.closePath();
  g.fillStyle = gradient;
  g.fill();
  g.beginPath();
  samples.forEach((p, i) => (i ? g.lineTo(x(p.t), y(p.waiting)) : g.moveTo(x(p.t), y(p.waiting))));
  g.strokeStyle = "#b9a8ff";
  g.lineWidth = 2;
  g.stroke();
}

function niceCeil(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

document.addEventListener("DOMContentLoaded", () => {
  $("event-id").value = param("event") || "concert-2026";
  $("admin-token").value = sessionStorage.getItem("wq.admin") || "";
  $("watch-form").addEventListener("submit", watch);
  $("settings-form").addEventListener("submit", saveSettings);
  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => lifecycle(button.dataset.action));
  }
  $("schedule-button").addEventListener("click", () => lifecycle("schedule", { opens_in_sec: Number($("opens-in").value) }));
  window.addEventListener("resize", draw);
  watch();
});
