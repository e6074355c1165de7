// The sample guarded page: shows the reservation behind it, and completes the purchase.
"use strict";

const base = location.pathname.replace(/\/+$/, "");

/** Calls the guarded route itself (not the API): the reservation cookie goes with it. */
async function checkout(method, path) {
  try {
    const response = await fetch(base + path, { method, headers: { Accept: "application/json" } });
    return { status: response.status, body: await response.json() };
  } catch (e) {
    return { status: 0, body: { error: { code: "NETWORK", message: "the server does not answer" } } };
  }
}

async function load() {
  const result = await checkout("GET", "/order");
  if (result.status !== 200) {
    // The reservation ran out while the page was open: queue again.
    const room = result.body.waiting_room;
    if (room) { location.assign(room.url); return; }
    toast(errorText(result));
    return;
  }
  const order = result.body;
  $("checkout-event").textContent = order.event_id;
  $("checkout-user").textContent = order.user_id;
  const expiresAt = Date.now() + order.ttl_sec * 1000;
  const countdown = () => {
    const left = (expiresAt - Date.now()) / 1000;
    $("checkout-ttl").textContent = left > 0 ? clock(left) : "expired";
  };
  countdown();
  setInterval(countdown, 1000);
}

async function buy() {
  const result = await checkout("POST", "/complete");
  if (result.status !== 200) { toast(errorText(result)); return; }
  $("checkout-actions").classList.add("hidden");
  $("checkout-state").textContent = "Purchase completed. Enjoy the show!";
}

document.addEventListener("DOMContentLoaded", () => {
  $("buy-button").addEventListener("click", buy);
  load();
});
