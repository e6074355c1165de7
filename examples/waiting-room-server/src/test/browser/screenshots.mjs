// Takes the README's screenshots: node screenshots.mjs <output dir>
// The waiting room at position 42, and the operator page while a line of 150 drains.
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer, launchBrowser, client } from "./harness.mjs";

const out = path.resolve(process.argv[2] || ".");
mkdirSync(out, { recursive: true });
const server = await startServer();
const profile = mkdtempSync(path.join(tmpdir(), "wq-chromium-"));
const browser = await launchBrowser(profile);
const api = client(server.base);
try {
  const eventId = "concert-2026";
  await api.settings(eventId, { admission_rate: 3, burst: 3 });
  const tokens = [];
  for (let i = 1; i <= 150; i++) tokens.push((await api.join(eventId, "fan-" + i)).body.waiting_token);

  const operator = await browser.newPage();
  await operator.goto(`${server.base}/operator?event=${eventId}`);
  // The head of the line comes in at the event's rate while the chart records the line getting shorter.
  const deadline = Date.now() + 25000;
  while (Date.now() < deadline && tokens.length > 45) {
    const result = await api.enter(tokens[0]);
    if (result.status === 200) tokens.shift();
    else await new Promise((r) => setTimeout(r, 100));
  }
  await operator.waitForTimeout(1500);
  await operator.screenshot({ path: path.join(out, "operator.png"), fullPage: true });

  const room = await browser.newPage();
  await room.goto(`${server.base}/?event=${eventId}&user=you`);
  await room.click("#join-button");
  await room.waitForFunction(() => document.getElementById("position").dataset.position !== "", null, { timeout: 10000 });
  await room.waitForTimeout(2500);
  await room.screenshot({ path: path.join(out, "waiting-room.png") });
  console.log("screenshots written to " + out);
} finally {
  await browser.close();
  server.stop();
  rmSync(profile, { recursive: true, force: true });
}
