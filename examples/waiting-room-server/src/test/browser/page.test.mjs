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
  await page.goto(`${server.base}/?event=${eventId}&user=carol`);
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
  await page.goto(`${server.base}/?event=${eventId}&user=early-bird`);
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
  await page.goto(`${server.base}/?event=${eventId}&user=buyer`);
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

test("a waiting page sees the sale sell out, says so and stops polling; a late join is told", async () => {
  const eventId = "browser-soldout-" + Date.now();
  // one item, one token in the bucket and (almost) no refill: the buyer enters, the page waits behind
  assert.equal((await api.settings(eventId, { inventory: 1, admission_rate: 0.001, burst: 1 })).status, 200);
  const buyer = await api.join(eventId, "buyer");
  const page = await browser.newPage();
  await page.goto(`${server.base}/?event=${eventId}&user=waiter`);
  await page.click("#join-button");
  await waitForPosition(page, 2);

  const entered = await api.enter(buyer.body.waiting_token);
  assert.equal(entered.status, 200);
  assert.equal((await api.complete(entered.body.reservation_token)).status, 200);

  await page.locator("#view-gone").waitFor({ state: "visible", timeout: 15000 });
  assert.equal(await page.locator("#gone-title").textContent(), "This sale is sold out");
  assert.equal((await api.stats(eventId)).body.state, "sold_out");
  let polls = 0;
  page.on("request", (r) => { if (r.url().includes("/queue/status")) polls++; });
  await page.waitForTimeout(2500);
  assert.equal(polls, 0, "a sold-out page stops polling");

  const late = await browser.newPage();
  await late.goto(`${server.base}/?event=${eventId}&user=late`);
  await late.click("#join-button");
  await late.getByText("This sale is sold out.").waitFor({ timeout: 10000 });
  await late.close();
  await page.close();
});

test("an invite link joins the presale lane ahead of the general line; a forged one is refused", async () => {
  const eventId = "browser-lanes-" + Date.now();
  assert.equal((await api.settings(eventId, { admission_rate: 0.001, burst: 1, lanes: { fanclub: 2 } })).status, 200);
  await api.join(eventId, "early-1");
  await api.join(eventId, "early-2");
  const invite = await api.admin("invites", eventId, { lane: "fanclub" });
  assert.equal(invite.status, 201);

  const fan = await browser.newPage();
  await fan.goto(`${server.base}/?event=${eventId}&user=fan&invite=${encodeURIComponent(invite.body.invite_code)}`);
  await fan.click("#join-button");
  await fan.locator("#view-admitted").waitFor({ state: "visible", timeout: 10000 }); // first in line: let in

  const forged = await browser.newPage();
  const code = invite.body.invite_code;
  const tampered = (code.startsWith("a") ? "b" : "a") + code.slice(1); // the signed text's first character changed
  await forged.goto(`${server.base}/?event=${eventId}&user=mallory&invite=${encodeURIComponent(tampered)}`);
  await forged.click("#join-button");
  await forged.getByText("This invite link cannot be used", { exact: false }).waitFor({ timeout: 10000 });
  assert.ok(await forged.locator("#view-join").isVisible(), "a refused invite joins nothing");
  assert.equal((await api.stats(eventId)).body.total_joined, 3);
  await forged.close();
  await fan.close();
});

test("leaving from the page takes the ticket out of the line", async () => {
  const eventId = "browser-leave-" + Date.now();
  assert.equal((await api.settings(eventId, { admission_rate: 0.001, burst: 1 })).status, 200);
  await api.join(eventId, "first");
  const page = await browser.newPage();
  await page.goto(`${server.base}/?event=${eventId}&user=leaver`);
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

test("guarded checkout sends the browser to the waiting room, which sets the cookie and sends it back", async () => {
  const eventId = "browser-checkout-" + Date.now();
  const page = await browser.newPage();
  await page.goto(`${server.base}/checkout/${eventId}?seat=12`);
  // Redirected: the waiting page of that event, with the way back.
  assert.equal(new URL(page.url()).pathname, "/");
  assert.equal(new URL(page.url()).searchParams.get("event"), eventId);
  assert.equal(new URL(page.url()).searchParams.get("return"), `/checkout/${eventId}?seat=12`);
  await page.fill("#user-id", "checkout-buyer");
  await page.click("#join-button");
  await page.waitForURL(`${server.base}/checkout/${eventId}?seat=12`, { timeout: 15000 });
  await page.waitForFunction(() => document.getElementById("checkout-user").textContent === "checkout-buyer",
    null, { timeout: 10000 });
  const cookie = (await browser.cookies(`${server.base}/checkout/${eventId}`)).find((c) => c.name === "wq_reservation");
  assert.ok(cookie, "the reservation cookie is set");
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, "Lax");
  assert.equal(cookie.path, "/checkout");
  assert.equal(await page.evaluate(() => document.cookie.includes("wq_reservation")), false, "script cannot read it");
  await page.click("#buy-button");
  await page.waitForFunction(() => document.getElementById("checkout-state").textContent.includes("completed"),
    null, { timeout: 10000 });
  assert.equal((await api.stats(eventId)).body.total_completed, 1);
  // The reservation is spent: the checkout sends the browser back to the waiting room.
  await page.goto(`${server.base}/checkout/${eventId}`);
  assert.equal(new URL(page.url()).pathname, "/");
  await page.close();
});

test("page polls at the pace the server says, and a hidden tab asks for the slowest pace", async () => {
  const eventId = "browser-pace-" + Date.now();
  assert.equal((await api.settings(eventId, { admission_rate: 0.001, burst: 1 })).status, 200);
  await api.join(eventId, "head");
  const page = await browser.newPage();
  let pace = 300;
  const polls = [];
  // The server's answer, with poll_after_ms replaced: the page must wait exactly what it is told.
  let routing = true;
  await page.route("**/api/v1/queue/status?**", async (route) => {
    polls.push({ at: Date.now(), url: route.request().url() });
    try {
      const response = await route.fetch();
      const body = await response.json();
      await route.fulfill({ response, json: { ...body, poll_after_ms: pace } });
    } catch (e) {
      if (routing) throw e; // a poll still in flight when the route is removed below is not this test's
    }
  });
  await page.goto(`${server.base}/?event=${eventId}&user=paced`);
  await page.click("#join-button");
  await waitForPosition(page, 2);
  await page.waitForTimeout(2000);
  const fast = polls.filter((p) => p.at > Date.now() - 1500).length;
  assert.ok(fast >= 3 && fast <= 7, `about 5 polls in 1.5 s at 300 ms, saw ${fast}`);
  pace = 2500;
  await page.waitForTimeout(600);  // the last 300 ms timer fires and brings the 2,500 ms pace
  const before = polls.length;
  await page.waitForTimeout(2000);
  assert.ok(polls.length - before <= 1, `at most 1 poll in 2 s at 2,500 ms, saw ${polls.length - before}`);

  routing = false;
  await page.unroute("**/api/v1/queue/status?**");
  const hiddenStatus = page.waitForResponse((r) => r.url().includes("visibility=hidden"), { timeout: 10000 });
  await page.evaluate(() => Object.defineProperty(document, "hidden", { value: true, configurable: true }));
  const answer = await (await hiddenStatus).json();
  assert.ok(answer.poll_after_ms >= 13500 && answer.poll_after_ms <= 15000,
    `a hidden tab is told the slowest pace, got ${answer.poll_after_ms}`);
  await page.close();
});
