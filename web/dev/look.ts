import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import fs from 'node:fs';
import { fixtureServer } from './fixture-server.ts';
const { app, url } = await fixtureServer();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run','--disable-sync'] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text(), m.location().url));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
for (const p of (process.argv[2] ?? '/statistik,/en/help').split(',')) {
  await page.goto(url + p);
  await page.waitForSelector('#main-heading');
  await page.waitForTimeout(2500);
  const name = p.replace(/\//g, '_') || 'root';
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: process.argv[3] === 'full' });
  const r = await new AxeBuilder({ page }).analyze();
  console.log(p, 'lang=', await page.evaluate(() => document.documentElement.lang), 'violations', r.violations.map((v) => `${v.id}: ${v.nodes.length} ${v.nodes[0]?.target}`));
}
await browser.close(); await app.close();
