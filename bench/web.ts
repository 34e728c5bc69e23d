// The public statistics page on a slow connection: bytes transferred and time until the key figures,
// and until the first chart, with network throttling through the Chrome DevTools Protocol.
// The real server (demo instance) on a fresh data directory; every run on a cold cache.
// node --import tsx bench/web.ts   (BENCH_RUNS, default 3)
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath, startStack } from '../web/dev/harness.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);

// Throughput in bytes per second, latency in ms (as Chrome DevTools' presets).
const profiles = [
  { name: 'Slow 4G (1.6 Mbit/s, 150 ms)', latency: 150, down: (1.6 * 1024 * 1024) / 8, up: (750 * 1024) / 8 },
  { name: '3G (400 kbit/s, 400 ms)', latency: 400, down: (400 * 1024) / 8, up: (400 * 1024) / 8 },
  { name: 'unthrottled (local)', latency: 0, down: -1, up: -1 },
];

type Sample = { fcp: number; keyFigures: number; firstChart: number; bytesAtKeyFigures: number; bytesTotal: number; requests: number; byType: Record<string, number> };

async function measure(browser: Browser, url: string, p: (typeof profiles)[number]): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: p.latency, downloadThroughput: p.down, uploadThroughput: p.up });
  const types = new Map<string, string>();
  let bytes = 0;
  let requests = 0;
  const byType: Record<string, number> = {};
  cdp.on('Network.responseReceived', (e) => {
    const u = new URL(e.response.url);
    types.set(e.requestId, u.pathname.startsWith('/api/') ? `api ${u.pathname}` : u.pathname.endsWith('.js') ? 'js' : u.pathname.endsWith('.css') ? 'css' : 'html');
  });
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    requests += 1;
    const t = types.get(e.requestId) ?? 'other';
    byType[t] = (byType[t] ?? 0) + e.encodedDataLength;
  });
  await page.goto(`${url}/statistik`, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.querySelector('[data-testid="key-figures"] .value'), undefined, { polling: 'raf', timeout: 120_000 });
  const keyFigures = await page.evaluate(() => performance.now());
  const bytesAtKeyFigures = bytes;
  // Charts settle as an image each (server SVG or vega), or, where the Content-Security-Policy forbids
  // vega's code generation, as the page's own drawing.
  await page.waitForFunction(
    () => {
      const figures = document.querySelectorAll('figure.chart');
      return figures.length > 0 && [...figures].every((f) => f.querySelector('img.chart-img, svg.simple-chart'));
    },
    undefined,
    { polling: 'raf', timeout: 180_000 },
  );
  const firstChart = await page.evaluate(() => performance.now());
  await page.waitForLoadState('networkidle');
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  await context.close();
  return { fcp, keyFigures, firstChart, bytesAtKeyFigures, bytesTotal: bytes, requests, byType };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const ms = (n: number) => `${Math.round(n)} ms`;

const stack = await startStack({ demo: true });
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const csp = (await fetch(`${stack.url}/statistik`)).headers.get('content-security-policy') ?? 'none';
  console.log(`web app at ${stack.url} (${stack.webInServer ? 'served by the server' : 'front server + real API'}), CSP: ${csp}`);
  console.log(`${runs} cold runs per profile, median\n`);
  console.log('| connection | first contentful paint | key figures shown | charts settled | transferred before key figures | transferred in all | requests |');
  console.log('|---|---|---|---|---|---|---|');
  let last: Sample | null = null;
  for (const p of profiles) {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await measure(browser, stack.url, p));
    const m = (k: keyof Omit<Sample, 'byType'>) => median(samples.map((s) => s[k] as number));
    console.log(`| ${p.name} | ${ms(m('fcp'))} | ${ms(m('keyFigures'))} | ${ms(m('firstChart'))} | ${kb(m('bytesAtKeyFigures'))} | ${kb(m('bytesTotal'))} | ${m('requests')} |`);
    last = samples[0];
  }
  if (last) {
    console.log('\ntransferred by kind (one run):');
    for (const [k, v] of Object.entries(last.byType).sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${kb(v)}`);
  }
} finally {
  await browser.close();
  await stack.close();
}
