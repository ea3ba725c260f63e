import puppeteer from 'puppeteer-core';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const html = `<!doctype html><meta charset=utf-8><title>Plain</title><h1>News</h1>${'<p>Some text <a href="/x">a link</a> and more.</p>'.repeat(50)}<form role=search><input type=search name=q></form><button>Menu</button>`;
const server = createServer((q, r) => { r.writeHead(200, { 'content-type': 'text/html' }); r.end(html); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const variants = process.argv.slice(2);
const N = 12;
const res = {};
for (const v of variants) {
  const dir = mkdtempSync(join(tmpdir(), 'cd-exp-'));
  const ext = v === 'none' ? null : `/tmp/cd-exp/${v}`;
  const browser = await puppeteer.launch({ executablePath: '/usr/lib/chromium/chromium', headless: true, pipe: true, userDataDir: dir,
    ...(ext ? { enableExtensions: [ext] } : {}), args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
  if (ext) await browser.waitForTarget((t) => t.type() === 'service_worker');
  const s = [], h = [];
  for (let i = 0; i < N; i++) {
    const page = await browser.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await page.goto(url + '?' + i, { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, 800));
    const { metrics } = await cdp.send('Performance.getMetrics');
    const g = (n) => metrics.find((m) => m.name === n).value;
    s.push(g('ScriptDuration') * 1000); h.push(g('JSHeapUsedSize') / 1048576);
    await page.close();
  }
  await browser.close(); rmSync(dir, { recursive: true, force: true });
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  res[v] = `script ${med(s).toFixed(1)} ms, heap ${med(h).toFixed(2)} MiB`;
  console.log(v, res[v]);
}
server.close();
