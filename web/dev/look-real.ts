// Development only: screenshots of pages against the real server. node --import tsx web/dev/look-real.ts /statistik,/hjalp
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { chromiumArgs, chromiumPath, startStack } from './harness.ts';
const stack = await startStack();
console.log('stack', stack.url, 'webInServer', stack.webInServer, 'user', stack.userCreated);
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text(), m.location().url));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
try {
  for (const p of (process.argv[2] ?? '/statistik').split(',')) {
    await page.goto(stack.url + p);
    await page.waitForSelector('#main-heading');
    await page.waitForTimeout(3000);
    const name = p.replace(/[/?=&]/g, '_') || 'root';
    await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: process.argv[3] === 'full' });
    const r = await new AxeBuilder({ page }).analyze();
    console.log(p, 'violations', r.violations.map((v) => `${v.id}: ${v.nodes.length} ${v.nodes.slice(0, 3).map((n) => n.target).join(' | ')}`));
  }
} finally {
  await browser.close();
  await stack.close();
}
