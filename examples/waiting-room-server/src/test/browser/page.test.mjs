// The waiting-room pages in a real headless Chromium against the packaged server on a real Redis.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer, launchBrowser, client } from "./harness.mjs";

let server, browser, api, profile;

before(async () => {
  server = await startServer();
  api = client(server.base);
  profile = mkdtempSync(path.join(tmpdir(), "wq-chromium-"));
  browser = await launchBrowser(profile);
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const shownPosition = (page) => page.locator("#position").getAttribute("data-position");

async function waitForPosition(page, expected) {
  await page.waitForFunction((p) => document.getElementById("position").dataset.position === String(p),
    expected, { timeout: 10000 });
}

test("page joins, sees its position fall as others enter, and is admitted when its turn comes", async () => {
  const eventId = "browser-" + Date.now();
  // Two tokens in the bucket and (almost) no refill: only positions 1 and 2 may enter until the rate is raised.
  assert.equal((await api.settings(eventId, { admission_rate: 0.001, burst: 2 })).status, 200);
  const alice = await api.join(eventId, "alice");
  const bob = await api.join(eventId, "bob");
  assert.equal(bob.body.position_hint, 2);

  const page = await browser.newPage();
  await page.goto(`${server.base}/?event=${eventId}&user=carol&poll=250`);
  await page.click("#join-button");
  await waitForPosition(page, 3);
  assert.ok(await page.locator("#view-waiting").isVisible());

  assert.equal((await api.enter(alice.body.waiting_token)).status, 200);
  await waitForPosition(page, 2);
  assert.equal((await api.enter(bob.body.waiting_token)).status, 200);
  await waitForPosition(page, 1);
  assert.ok(await page.locator("#view-waiting").isVisible(), "still waiting: the bucket is empty");
  assert.equal(await shownPosition(page), "1");

  assert.equal((await api.settings(eventId, { admission_rate: 50 })).status, 200);
  await page.locator("#view-admitted").waitFor({ state: "visible", timeout: 10000 });
  assert.match(await page.locator("#reservation-token").textContent(), /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.equal((await api.stats(eventId)).body.total_entered, 3);
  await page.close();
});

test("page in the pre-queue counts down to the opening, then gets a place and is admitted", async () => {
  const eventId = "browser-prequeue-" + Date.now();
  assert.equal((await api.admin("schedule", eventId, { opens_in_sec: 4 })).status, 200);
  const page = await browser.newPage();
  await page.goto(`${server.base}/?event=${eventId}&user=early-bird&poll=250`);
  await page.click("#join-button");
  await page.waitForFunction(() => document.getElementById("position-label").textContent === "The sale opens in",
    null, { timeout: 10000 });
  assert.match(await page.locator("#position").textContent(), /^0:0[0-4]$/);
  assert.ok(await page.locator("#notice").isVisible());
  await page.locator("#view-admitted").waitFor({ state: "visible", timeout: 15000 });
  assert.equal((await api.stats(eventId)).body.total_entered, 1);
  await page.close();
});

test("completing the purchase from the admitted view ends the reservation", async () => {
  const eventId = "browser-complete-" + Date.now();
  const page = await browser.newPage();
  await page.goto(`${server.base}/?event=${eventId}&user=buyer&poll=250`);
  await page.click("#join-button");
  await page.locator("#view-admitted").waitFor({ state: "visible", timeout: 10000 });
  await page.click("#complete-button");
  await page.waitForFunction(() => document.getElementById("reservation-state").textContent.includes("completed"),
    null, { timeout: 10000 });
  const stats = (await api.stats(eventId)).body;
  assert.equal(stats.total_completed, 1);
  assert.equal(stats.admitted, 0);
  await page.close();
});

test("leaving from the page takes the ticket out of the line", async () => {
  const eventId = "browser-leave-" + Date.now();
  assert.equal((await api.settings(eventId, { admission_rate: 0.001, burst: 1 })).status, 200);
  await api.join(eventId, "first");
  const page = await browser.newPage();
  await page.goto(`${server.base}/?event=${eventId}&user=leaver&poll=250`);
  await page.click("#join-button");
  await waitForPosition(page, 2);
  await page.click("#leave-button");
  await page.locator("#view-gone").waitFor({ state: "visible", timeout: 10000 });
  const stats = (await api.stats(eventId)).body;
  assert.equal(stats.waiting, 1);
  assert.equal(stats.total_left, 1);
  await page.close();
});

test("operator page shows the queue length of the event", async () => {
  const eventId = "browser-operator-" + Date.now();
  assert.equal((await api.settings(eventId, { admission_rate: 0.001, burst: 1 })).status, 200);
  for (const user of ["u1", "u2", "u3", "u4"]) await api.join(eventId, user);
  const page = await browser.newPage();
  await page.goto(`${server.base}/operator?event=${eventId}`);
  await page.waitForFunction(() => document.getElementById("stat-waiting").textContent === "4", null,
    { timeout: 10000 });
  assert.equal(await page.locator("#set-burst").inputValue(), "1");
  await page.close();
});

test("operator's pause button pauses the event", async () => {
  const eventId = "browser-pause-" + Date.now();
  await api.join(eventId, "someone");
  const page = await browser.newPage();
  await page.goto(`${server.base}/operator?event=${eventId}`);
  await page.waitForFunction(() => document.getElementById("event-state").textContent === "open", null,
    { timeout: 10000 });
  await page.click("#pause-button");
  await page.waitForFunction(() => document.getElementById("event-state").textContent === "paused", null,
    { timeout: 10000 });
  assert.equal((await api.stats(eventId)).body.state, "paused");
  await page.close();
});
