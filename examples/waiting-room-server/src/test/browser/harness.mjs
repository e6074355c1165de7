// Starts what the browser tests need, all on 127.0.0.1 and free ports: a redis-server, the packaged
// waiting-room server (java -jar), and Debian's Chromium through playwright-core (no browser download).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SERVER_JAR = process.env.SERVER_JAR
  || path.resolve(here, "../../../target/waiting-room-server.jar");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a process and resolves once a line of its output matches, or rejects after timeoutMs. */
function startAndWait(command, args, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => { clearTimeout(timer); reject(new Error(`cannot run ${command}: ${e.message}`)); });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before printing ${pattern}:\n${output}`));
    });
  });
}

/** A fresh redis-server and the packaged server on it; stop() ends both. */
export async function startServer() {
  if (!existsSync(SERVER_JAR)) {
    throw new Error(`${SERVER_JAR} is missing: build it with mvn -q -pl examples/waiting-room-server -am package -DskipTests`);
  }
  const redisPort = await freePort();
  const redis = await startAndWait("redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    /Ready to accept connections/, 15000)
    .catch((e) => { throw new Error("no redis-server (Debian: apt-get install -y redis-server): " + e.message); });
  const port = await freePort();
  let server;
  try {
    server = await startAndWait("java",
      ["-jar", SERVER_JAR, "--port", String(port), "--redis", `redis://127.0.0.1:${redisPort}`,
        "--secret", "browser-test-secret-that-is-long-enough-0123456789"],
      /Waiting room on (.*?): http/, 60000);
  } catch (e) {
    redis.child.kill("SIGKILL");
    throw e;
  }
  if (!server.match[1].startsWith("Redis")) {
    server.child.kill("SIGKILL");
    redis.child.kill("SIGKILL");
    throw new Error("the server did not start on Redis: " + server.match[1]);
  }
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    stop() {
      server.child.kill("SIGTERM");
      redis.child.kill("SIGTERM");
    },
  };
}

/**
 * Debian's Chromium, headless, with a fresh profile (userDataDir) and no background connections.
 * Resolves to a browser context: newPage() and close() as on a browser.
 */
export async function launchBrowser(userDataDir) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    viewport: { width: 1100, height: 760 },
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A REST client for the other users of the scenario. */
export function client(base) {
  async function call(method, pathAndQuery, body) {
    const response = await fetch(base + "/api/v1/" + pathAndQuery, {
      method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json() };
  }
  return {
    join: (eventId, userId) => call("POST", "queue/join", { event_id: eventId, user_id: userId }),
    enter: (token) => call("POST", "queue/enter", { waiting_token: token }),
    complete: (reservation) => call("POST", "reservation/complete", { reservation_token: reservation }),
    settings: (eventId, settings) => call("POST", "admin/settings", { event_id: eventId, ...settings }),
    admin: (action, eventId, extra) => call("POST", "admin/" + action, { event_id: eventId, ...extra }),
    stats: (eventId) => call("GET", "queue/stats?event_id=" + encodeURIComponent(eventId)),
  };
}
