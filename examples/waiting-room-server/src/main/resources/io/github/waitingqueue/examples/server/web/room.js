// The waiting room: join, poll the status at the pace the server says (poll_after_ms), count the ETA down
// in between, enter when ready; sent here by a guarded page (?return=/checkout/...), go back there once in.
"use strict";

/** Until the server has said (poll_after_ms of the status answer). */
const FIRST_POLL_MS = 1000;
const VIEWS = ["view-join", "view-waiting", "view-admitted", "view-gone"];
const state = { token: null, event: null, status: null, firstPosition: null, position: null, eta: null, etaAt: 0,
  joinedAt: 0, timer: null, tick: null, entering: false, pollAfter: FIRST_POLL_MS };

/** Polls again after the pause the server asked for. */
function pollLater() {
  clearTimeout(state.timer);
  state.timer = setTimeout(poll, state.pollAfter);
}

function show(view) {
  for (const v of VIEWS) $(v).classList.toggle("hidden", v !== view);
}

function save() {
  if (state.token) sessionStorage.setItem("wq.ticket", JSON.stringify({ token: state.token, event: state.event }));
  else sessionStorage.removeItem("wq.ticket");
}

function stopPolling() {
  clearTimeout(state.timer);
  clearInterval(state.tick);
  state.timer = state.tick = null;
}

async function join(event) {
  event.preventDefault();
  const button = $("join-button");
  button.disabled = true;
  const eventId = $("event-id").value.trim(), userId = $("user-id").value.trim();
  // an invite link (?invite=CODE) joins the presale lane its code grants
  const invite = param("invite");
  const result = await api("POST", "queue/join", invite ? { event_id: eventId, user_id: userId, invite }
    : { event_id: eventId, user_id: userId });
  button.disabled = false;
  if (result.status === 409) { toast(refusalText(result)); return; }
  if (result.status === 400 && result.body && result.body.error && result.body.error.code === "INVALID_INVITE") {
    toast("This invite link cannot be used: " + result.body.error.message + ".");
    return;
  }
  if (result.status !== 202) { toast(errorText(result)); return; }
  localStorage.setItem("wq.user", userId);
  startWaiting(result.body.waiting_token, eventId, result.body.position_hint);
}

function startWaiting(token, eventId, positionHint) {
  Object.assign(state, { token, event: eventId, firstPosition: null, position: null, eta: null,
    joinedAt: Date.now(), entering: false });
  save();
  $("waiting-event").textContent = eventId;
  $("operator-link").href = "/operator?event=" + encodeURIComponent(eventId);
  if (positionHint) render("waiting", positionHint, null);
  show("view-waiting");
  stopPolling();
  state.tick = setInterval(tick, 1000);
  poll();
}

async function poll() {
  // A hidden tab says so, and is told to poll at the slowest pace.
  const result = await api("GET", "queue/status?token=" + encodeURIComponent(state.token)
    + (document.hidden ? "&visibility=hidden" : ""));
  if (!state.token) return;
  if (result.status === 200) {
    const s = result.body;
    if (s.poll_after_ms > 0) state.pollAfter = s.poll_after_ms;
    state.joinedAt = Date.now() - s.waiting_time * 1000;
    if (s.status === "closed") { closed(); return; }
    if (s.status === "sold_out") { soldOut(); return; }
    render(s.status, s.position, s.eta_sec);
    if (s.ready_for_entry) { await enter(); return; }
  } else if (result.status === 404) {
    gone("Ticket not found", "Your place is no longer in line",
      "It was admitted, left, or timed out after the page stopped checking in. You can join again.");
    return;
  } else {
    $("waiting-caption").parentElement.querySelector(".live-dot").classList.add("warn");
    toast("Reconnecting… " + errorText(result));
  }
  pollLater();
}

const NOTICES = {
  pre_queue: "The sale has not opened yet. Everyone who joins before the opening gets a random place "
    + "at the opening, ahead of later arrivals: there is no point in arriving early.",
  paused: "The sale is paused for a moment. You keep your place; nobody is let in until it resumes.",
};

function render(status, position, etaSec) {
  state.status = status;
  $("notice").textContent = NOTICES[status] || "";
  $("notice").classList.toggle("hidden", !NOTICES[status]);
  const preQueue = status === "pre_queue";
  $("position-label").textContent = preQueue ? "The sale opens in" : "Your position";
  $("eta-label").textContent = preQueue ? "Opens at" : "Estimated wait";
  $("waiting-caption").parentElement.querySelector(".live-dot").classList.toggle("warn", status === "paused");
  if (etaSec !== null) { state.eta = etaSec; state.etaAt = Date.now(); }
  if (preQueue) {
    // No position before the opening: the big number counts down to it instead.
    $("position").dataset.position = "0";
    $("ahead").textContent = "Your place in line is drawn at the opening";
    tick();
    return;
  }
  const el = $("position");
  if (state.position !== null && position !== state.position) {
    el.classList.add("bump");
    setTimeout(() => el.classList.remove("bump"), 250);
  }
  if (state.firstPosition === null || position > state.firstPosition) state.firstPosition = position;
  state.position = position;
  el.textContent = position;
  el.dataset.position = position;
  $("ahead").textContent = position <= 1 ? "You are at the front of the line"
    : (position - 1).toLocaleString() + (position === 2 ? " person" : " people") + " ahead of you";
  const first = state.firstPosition;
  $("progress-fill").style.width = (first <= 1 ? 100 : Math.round(100 * (first - position) / (first - 1))) + "%";
  tick();
}

/** Between polls the ETA counts down and the waited time counts up, once a second. */
function tick() {
  if (state.eta !== null) {
    const left = state.eta - (Date.now() - state.etaAt) / 1000;
    if (state.status === "pre_queue") {
      $("position").textContent = clock(Math.max(0, left));
      $("eta").textContent = new Date(state.etaAt + state.eta * 1000).toLocaleTimeString();
      $("waited").textContent = clock((Date.now() - state.joinedAt) / 1000);
      return;
    }
    $("eta").textContent = state.status === "paused" ? "paused"
      : left <= 0 ? "any moment" : "≈ " + clock(Math.max(0, left));
  }
  $("waited").textContent = clock((Date.now() - state.joinedAt) / 1000);
}

async function enter() {
  if (state.entering) return;
  state.entering = true;
  const result = await api("POST", "queue/enter", { waiting_token: state.token });
  state.entering = false;
  if (result.status === 200) {
    stopPolling();
    if (await backToTheGuardedPage(result.body.reservation_token)) return;
    admitted(result.body.reservation_token, result.body.ttl_sec);
  } else if (result.status === 403) {
    pollLater();  // someone else took the last slot: keep polling
  } else if (result.status === 404) {
    gone("Ticket not found", "Your place is no longer in line", "You can join again.");
  } else if (result.status === 409) {
    result.body && result.body.error && result.body.error.code === "SOLD_OUT" ? soldOut() : closed();
  } else {
    toast(errorText(result));
    pollLater();
  }
}

/** The page that sent the user here (?return=), when it is a path of this site. */
function returnPath() {
  const path = param("return");
  return path && path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : null;
}

/**
 * Sent here by a guarded page: the server sets the reservation as an HttpOnly cookie (script cannot), and
 * the user goes back to that page. Resolves to false when there is no such page or the cookie failed.
 */
async function backToTheGuardedPage(reservationToken) {
  const back = returnPath();
  if (!back) return false;
  const result = await api("POST", "reservation/cookie", { reservation_token: reservationToken });
  if (result.status !== 200) { toast(errorText(result)); return false; }
  state.token = null;
  save();
  location.assign(back);
  return true;
}

function admitted(reservationToken, ttlSec) {
  const eventId = state.event;
  state.token = null;
  state.reservation = reservationToken;
  save();
  $("reservation-actions").classList.remove("hidden");
  $("reservation-state").innerHTML = 'Expires in <b id="reservation-ttl"></b>';
  $("admitted-event").textContent = eventId;
  $("reservation-token").textContent = reservationToken;
  const expiresAt = Date.now() + ttlSec * 1000;
  const countdown = () => {
    const left = (expiresAt - Date.now()) / 1000;
    $("reservation-ttl").textContent = left > 0 ? clock(left) : "expired";
  };
  countdown();
  state.tick = setInterval(countdown, 1000);
  show("view-admitted");
}

/** What the checkout would do: complete the purchase, or hand the slot back. Either frees it at once. */
async function endReservation(how) {
  const result = await api("POST", "reservation/" + how, { reservation_token: state.reservation });
  if (result.status !== 200) { toast(errorText(result)); return; }
  clearInterval(state.tick);
  $("reservation-actions").classList.add("hidden");
  $("reservation-state").textContent = how === "complete" ? "Purchase completed. Enjoy the show!"
    : "Slot given back to the next person in line.";
}

function gone(eyebrow, title, text) {
  stopPolling();
  state.token = null;
  save();
  $("gone-eyebrow").textContent = eyebrow;
  $("gone-title").textContent = title;
  $("gone-text").textContent = text;
  show("view-gone");
}

function soldOut() {
  gone("Sold out", "This sale is sold out", "Every item has been sold. Reservations still held can no longer be completed.");
}

/** Why a join was refused with 409: closed, sold out, or one place per person. */
function refusalText(result) {
  const code = result.body && result.body.error ? result.body.error.code : "";
  if (code === "SOLD_OUT") return "This sale is sold out.";
  if (code === "HOLDS_RESERVATION") return "You hold a reservation in this sale already: one place per person.";
  if (code === "ALREADY_PURCHASED") return "You bought in this sale already: one purchase per person.";
  if (code === "LANE_CLOSED") return "The presale of this invite has ended: join the general line instead.";
  return "This sale is closed: nobody more is let in.";
}

function closed() {
  gone("Sale closed", "This sale has closed", "Nobody more is let in. Reservations already granted stay valid.");
}

async function leave() {
  const token = state.token;
  if (!token) return;
  stopPolling();
  const result = await api("DELETE", "queue/leave?token=" + encodeURIComponent(token));
  if (result.status !== 200 && result.status !== 404) toast(errorText(result));
  gone("Not in line", "You left the line", "Your place was given up. You can join again at the end of the line.");
}

function restart() {
  stopPolling();
  show("view-join");
}

document.addEventListener("DOMContentLoaded", () => {
  $("event-id").value = param("event") || "concert-2026";
  $("user-id").value = param("user") || localStorage.getItem("wq.user")
    || "guest-" + Math.random().toString(36).slice(2, 7);
  $("join-form").addEventListener("submit", join);
  $("leave-button").addEventListener("click", leave);
  $("again-button").addEventListener("click", restart);
  $("complete-button").addEventListener("click", () => endReservation("complete"));
  $("release-button").addEventListener("click", () => endReservation("release"));
  $("rejoin-button").addEventListener("click", restart);
  // Back in view: poll at once rather than at the end of the hidden tab's long pause.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && state.token && state.timer) { clearTimeout(state.timer); poll(); }
  });
  // A reload keeps the place in line: the token is kept for this tab.
  const saved = JSON.parse(sessionStorage.getItem("wq.ticket") || "null");
  if (saved && saved.token && !param("event")) startWaiting(saved.token, saved.event, null);
  else show("view-join");
});
