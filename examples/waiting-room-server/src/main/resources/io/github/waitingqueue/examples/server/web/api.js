// Shared by both pages: calls to the REST API and small page helpers.
"use strict";

/** Calls /api/v1 and resolves to {status, body}; a network failure resolves to status 0. */
async function api(method, path, body, headers) {
  const init = { method, headers: Object.assign({}, headers) };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    const response = await fetch("/api/v1/" + path, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  } catch (e) {
    return { status: 0, body: { error: { code: "NETWORK", message: "the server does not answer" } } };
  }
}

function $(id) { return document.getElementById(id); }

function errorText(result) {
  const e = result.body && result.body.error;
  return e ? e.message + " (" + e.code + ")" : "HTTP " + result.status;
}

let toastTimer;
/** A message at the bottom of the page for five seconds: an error unless ok is true. */
function toast(message, ok) {
  const el = $("toast");
  el.textContent = message;
  el.classList.toggle("ok", !!ok);
  el.classList.remove("hidden");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.add("hidden"), 5000);
}

/** 75 -> "1:15", 3700 -> "1:01:40". */
function clock(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
}

function param(name) { return new URLSearchParams(location.search).get(name); }
