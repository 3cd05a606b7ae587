// Saves a screenshot of a failed scenario in the Allure report with its "message trace"
// attachment opened, which takes a click: Chromium is driven over the DevTools protocol.
// Usage: node --experimental-websocket scripts/allure-trace-screenshot.js URL PNG PROFILE_DIR
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [url, png, profile] = process.argv.slice(2);
const BOUND_MS = 20_000;

const chromium = spawn('chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--hide-scrollbars', '--window-size=1600,1200', `--user-data-dir=${profile}`,
  '--remote-debugging-port=0', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe'] });

/** Chromium prints its DevTools address on stderr once it listens. */
function devtoolsAddress() {
  return new Promise((resolve, reject) => {
    let seen = '';
    chromium.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (m) resolve(new URL(m[1]).host);
    });
    chromium.on('exit', () => reject(new Error(`chromium exited before listening: ${seen.trim()}`)));
  });
}

function session(wsUrl) {
  const ws = new WebSocket(wsUrl);
  let next = 0;
  const pending = new Map();
  const events = [];
  ws.onmessage = ({ data }) => {
    const msg = JSON.parse(data);
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    } else {
      events.push(msg.method);
    }
  };
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return new Promise((resolve) => (ws.onopen = () => resolve({ send, close: () => ws.close() })));
}

/** Evaluates `expression` in the page until it is truthy, within the bound. */
async function until(page, expression, what) {
  const deadline = Date.now() + BOUND_MS;
  for (;;) {
    const { result } = await page.send('Runtime.evaluate', { expression, returnByValue: true });
    if (result.value) return result.value;
    if (Date.now() > deadline) throw new Error(`the report never showed ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const host = await devtoolsAddress();
  const targets = await (await fetch(`http://${host}/json/list`)).json();
  const page = await session(targets.find((t) => t.type === 'page').webSocketDebuggerUrl);
  await page.send('Page.enable');
  await page.send('Page.navigate', { url });
  const findTrace = `[...document.querySelectorAll('*')].find((e) => e.children.length === 0 && e.textContent.trim() === 'message trace')`;
  await until(page, `!!${findTrace}`, 'the message trace attachment');
  await page.send('Runtime.evaluate', { expression: `${findTrace}.click()` });
  // Opened, the attachment shows the trace's lines below its header (name, type, size).
  await until(page, `${findTrace}.closest('[data-testid="test-result-attachment"]').innerText.split('\\n').length > 6`, 'the trace text');
  const { data } = await page.send('Page.captureScreenshot', { format: 'png' });
  fs.mkdirSync(path.dirname(png), { recursive: true });
  fs.writeFileSync(png, Buffer.from(data, 'base64'));
  page.close();
}

main()
  .then(() => console.log(`screenshot: ${png}`))
  .catch((e) => {
    console.error(`trace screenshot failed: ${e.message}`);
    process.exitCode = 1;
  })
  .finally(() => chromium.kill());
