#!/usr/bin/env node
// Browser tests of the web interface: a real `whereabouts serve` on a fresh demo register (with
// its accounts), driven in Debian's Chromium (headless) by playwright-core. Never downloads a
// browser. Screenshots of every step go to --out (build/artefacts/web by default).
//
//   node web/tests/run.mjs --binary build/src/cli/whereabouts [--web web/dist] [--out DIR]
//                          [--chromium /usr/bin/chromium] [--only NAME]
//
// Exit status: 0 all passed, 1 a test failed, 77 skipped (no Chromium or no playwright-core).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const opts = { binary: '', web: path.join(root, 'web', 'dist'), out: path.join(root, 'build', 'artefacts', 'web'), chromium: '', only: '' };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in opts)) {
    console.error(`unknown option ${process.argv[i]}`);
    process.exit(2);
  }
  opts[k] = process.argv[i + 1];
}
if (!opts.binary) {
  console.error('--binary PATH (the whereabouts binary) is required');
  process.exit(2);
}
const SKIP = 77;
opts.chromium ||= ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => fs.existsSync(p)) ?? '';
if (!opts.chromium) {
  console.log('SKIP: no Chromium (/usr/bin/chromium; scripts/install-deps installs it)');
  process.exit(SKIP);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.log('SKIP: playwright-core is not installed (cd web && npm ci)');
  process.exit(SKIP);
}
if (!fs.existsSync(path.join(opts.web, 'index.html'))) {
  console.error(`FAIL: no built web interface in ${opts.web} (scripts/build builds it)`);
  process.exit(1);
}
fs.mkdirSync(opts.out, { recursive: true });

// ---- a fresh demo register and its server ----
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-web-test-'));
const db = path.join(tmp, 'register.db');
const dna = path.join(tmp, 'dna');
const demo = spawnSync(opts.binary, ['demo', '--db', db, '--dna', dna, '--accounts'], { encoding: 'utf8' });
if (demo.status !== 0) {
  console.error(`FAIL: whereabouts demo: ${demo.stderr}${demo.stdout}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
}
// The run in the browser test uses the first 60 remains samples (all families): the same files,
// a run of seconds on a busy CI machine.
{
  const lines = fs.readFileSync(path.join(dna, 'remains.csv'), 'utf8').split('\n').filter(Boolean);
  const kept = lines.slice(0, 61);
  const samples = new Set(kept.slice(1).map((l) => l.split(',')[0]));
  const alleles = fs.readFileSync(path.join(dna, 'remains-alleles.tsv'), 'utf8').split('\n').filter(Boolean);
  fs.writeFileSync(path.join(dna, 'remains-some.csv'), kept.join('\n') + '\n');
  fs.writeFileSync(path.join(dna, 'remains-alleles-some.tsv'), [alleles[0], ...alleles.slice(1).filter((l) => samples.has(l.split('\t')[0]))].join('\n') + '\n');
}
const server = spawn(opts.binary, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', opts.web, '--threads', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`the server did not start: ${serverLog}`)), 30000);
  const onData = (d) => {
    serverLog += d;
    const m = /on (http:\/\/[0-9.]+:\d+)\//.exec(serverLog);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.on('exit', (code) => reject(new Error(`the server exited (${code}): ${serverLog}`)));
});

const browser = await chromium.launch({
  executablePath: opts.chromium,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});

const PASSWORDS = {
  'case.officer': 'case-officer-demo',
  'dna.analyst1': 'dna-analyst1-demo',
  'dna.analyst2': 'dna-analyst2-demo',
  'field.team': 'field-team-demo',
  'family.liaison': 'family-liaison-demo',
  statistics: 'statistics-demo',
  auditor: 'auditor-demo-pass',
  admin: 'administrator-demo',
};

class Check extends Error {}
function expect(cond, what) {
  if (!cond) throw new Check(what);
}

/** A new browser context (its own cookies) signed in as `user`; every request that leaves the
 * server's origin fails the test (the interface must work offline). */
async function session(user, t) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    t.outside.push(url);
    return route.abort();
  });
  page.on('pageerror', (e) => t.errors.push(`${user}: ${e.message}`));
  await page.goto(base + '/');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORDS[user]);
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector(`[data-testid=who]:has-text("${user}")`);
  t.contexts.push(context);
  return page;
}

async function shot(t, page, name) {
  if (process.env.WB_WEB_TEST_VERBOSE) console.log(`  ${t.name} ${name} at ${((Date.now() - t.t0) / 1000).toFixed(1)} s`);
  await page.screenshot({ path: path.join(opts.out, `${t.name}-${String(++t.shots).padStart(2, '0')}-${name}.png`), fullPage: false });
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('static-files', async () => {
  // `serve --web` delivers the built interface with the right types (nosniff is on).
  const index = await fetch(`${base}/`);
  expect(index.status === 200 && index.headers.get('content-type').startsWith('text/html'), `index.html as text/html: ${index.headers.get('content-type')}`);
  const html = await index.text();
  const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  const types = { js: 'text/javascript', css: 'text/css', json: 'application/json' };
  expect(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), `index.html names its script and style: ${assets}`);
  for (const file of [...assets, ...fs.readdirSync(path.join(opts.web, 'assets')).filter((f) => f.endsWith('.json')).map((f) => `assets/${f}`)]) {
    const r = await fetch(`${base}/${file}`);
    const want = types[file.split('.').pop()];
    expect(r.status === 200 && (!want || r.headers.get('content-type').startsWith(want)), `${file}: ${r.status} ${r.headers.get('content-type')}`);
  }
  const missing = await fetch(`${base}/no-such-file.js`);
  expect(missing.status === 404, 'an unknown file is 404');
});

test('case-officer', async (t) => {
  const page = await session('case.officer', t);
  await page.waitForSelector('table.persons');
  // Register a person in Cyrillic; first with a malformed date: the server's message is shown
  // beside the field, and nothing is registered.
  await page.click('text=Register a person');
  await page.fill('input[name=family_name]', 'Харатян');
  await page.fill('input[name=given_name]', 'Анаит');
  await page.selectOption('select[name=sex]', 'female');
  await page.fill('input[name=birth_date]', '1961-13-40');
  await page.fill('input[name=disappearance_place]', 'Тарсеник');
  await page.click('button:has-text("Register")');
  const fieldError = page.locator('.field-error');
  await fieldError.waitFor();
  expect((await fieldError.textContent()).includes('birth_date'), 'the validation message names the field birth_date');
  expect(await page.locator('input[name=birth_date].invalid').count() === 1, 'the bad field is marked');
  await shot(t, page, 'validation');
  await page.fill('input[name=birth_date]', '1961-03-14');
  await page.click('button:has-text("Register")');
  await page.waitForURL(/#\/persons\/\d+$/);
  const id = /#\/persons\/(\d+)$/.exec(page.url())[1];
  await page.waitForSelector('h1 bdi.name');
  expect((await page.textContent('h1')).includes('Харатян Анаит'), 'the person page shows the Cyrillic name');
  await shot(t, page, 'registered');
  // Found by a Latin spelling.
  await page.goto(`${base}/#/persons`);
  await page.fill('input[name=q]', 'Kharatyan');
  await page.click('button:has-text("Search")');
  const row = page.locator(`table.persons a[href="#/persons/${id}"]`);
  await row.waitFor();
  expect((await row.textContent()).includes('Харатян'), 'searching "Kharatyan" finds Харатян');
  await shot(t, page, 'found-by-latin');
  // Filters: the status (server) and captured (page) narrow the list.
  await page.fill('input[name=q]', '');
  await page.selectOption('select[name=status]', 'identified');
  await page.waitForFunction(() => [...document.querySelectorAll('table.persons tbody tr')].length > 0 && [...document.querySelectorAll('table.persons tbody tr .badge')].every((b) => b.textContent === 'identified'));
  await page.selectOption('select[name=status]', 'open');
  await page.selectOption('select[name=captured]', 'yes');
  await page.waitForFunction(() => [...document.querySelectorAll('table.persons tbody tr')].length > 0 && [...document.querySelectorAll('table.persons tbody tr td:nth-child(5)')].every((c) => c.textContent !== ''));
  const captured = await page.locator('table.persons tbody tr td:nth-child(5)').allTextContents();
  expect(captured.length > 0 && captured.every((c) => c !== ''), 'the captured filter keeps captured persons only');
  // A figure's bar opens its records.
  await page.goto(`${base}/#/figures`);
  await page.locator('svg.chart g.clickable[data-key="missing.civilian.child"] rect').click();
  await page.waitForSelector('.cell-records table a[href^="#/persons/"]');
  expect((await page.textContent('.cell-records')).includes('71'), 'the cell of 71 children lists its records');
  await shot(t, page, 'figure-records');
  // Names in Arabic run right to left; other spellings in Armenian and Georgian show as typed.
  await page.goto(`${base}/#/persons/new`);
  await page.fill('input[name=family_name]', 'سليمان');
  await page.fill('input[name=given_name]', 'ليلى');
  await page.selectOption('select[name=sex]', 'female');
  await page.fill('input[name=other_names]', 'Սուլեյմանյան | სულეიმანი');
  await page.click('button:has-text("Register")');
  await page.waitForURL(/#\/persons\/\d+$/);
  const title = page.locator('h1 bdi.name');
  await title.waitFor();
  expect((await title.evaluate((el) => getComputedStyle(el).direction)) === 'rtl', 'an Arabic name runs right to left');
  const spellings = await page.locator('dl.facts bdi.name').allTextContents();
  expect(spellings.includes('Սուլեյմանյան') && spellings.includes('სულეიმანი'), `Armenian and Georgian spellings are shown: ${spellings}`);
  await shot(t, page, 'arabic-name');
  // A stale correction: two tabs edit the same record; the second save is refused (412) with a
  // clear message, and nothing is overwritten.
  const other = await page.context().newPage();
  await other.goto(`${base}/#/persons/${id}/edit`);
  await page.goto(`${base}/#/persons/${id}/edit`);
  await other.fill('textarea[name=circumstances]', 'Ушла на рынок и не вернулась');
  await other.fill('input[name=reason]', 'the family described the circumstances');
  await other.click('button:has-text("Save the correction")');
  await other.waitForURL(new RegExp(`#/persons/${id}$`));
  await page.fill('input[name=father_name]', 'Геворгович');
  await page.fill('input[name=reason]', 'a second correction');
  await page.click('button:has-text("Save the correction")');
  const stale = page.locator('[data-testid=stale]');
  await stale.waitFor();
  expect((await stale.textContent()).includes('Someone else changed this record'), 'a stale edit says so');
  await shot(t, page, 'stale-edit');
});

test('field-team', async (t) => {
  const page = await session('field.team', t);
  await page.waitForSelector('[data-testid=map] .leaflet-overlay-pane path.hazard');
  const hazards = await page.locator('path.hazard').count();
  expect(hazards >= 3, `hazard areas drawn (${hazards})`);
  expect((await page.locator('path.hazard-confirmed').count()) >= 1, 'a confirmed hazard is drawn');
  expect((await page.locator('path.hazard-cleared').count()) >= 1, 'a cleared hazard is drawn');
  expect((await page.locator('path.site-inside').count()) >= 1, 'a site inside an uncleared hazard is marked');
  expect((await page.locator('.leaflet-overlay-pane canvas').count()) === 1, 'the offline base map is drawn');
  const flags = await page.locator('[data-testid=site-flag]').allTextContents();
  expect(flags.some((f) => f.includes('inside')), 'the site list flags a site inside a hazard area');
  await shot(t, page, 'map');
  // The detail panel shows the flagged site; an excavation there is refused with the reason.
  const detail = page.locator('[data-testid=site-detail]');
  expect((await detail.textContent()).includes('inside hazard area'), 'the flagged site names its hazard');
  await detail.locator('button:has-text("Record the excavation")').click();
  const refusal = page.locator('[data-testid=refusal]');
  await refusal.waitFor();
  expect((await refusal.textContent()).length > 30, 'the refusal gives the reason');
  await shot(t, page, 'excavation-refused');
  // Remains: commingled bags and the chain of custody.
  await page.goto(`${base}/#/remains?commingled=yes`);
  await page.locator('table a').first().click();
  await page.waitForSelector('text=Chain of custody');
  await shot(t, page, 'remains');
});

test('dna-analysts-and-family-liaison', async (t) => {
  // The first analyst starts an identification run with the laboratory's files and watches it.
  const a1 = await session('dna.analyst1', t);
  await a1.waitForSelector('h1:has-text("Identifications")');
  await a1.click('summary:has-text("Start an identification run")');
  await a1.selectOption('form.run select[name=source]', 'files');
  for (const [name, file] of [['families', 'families.csv'], ['references', 'references.tsv'], ['remains', 'remains-some.csv'], ['remains_alleles', 'remains-alleles-some.tsv'], ['frequencies', 'frequencies.tsv']]) {
    await a1.setInputFiles(`input[type=file][name=${name}]`, path.join(dna, file));
  }
  await a1.fill('form.run input[name=reason]', 'browser test run');
  await a1.click('button:has-text("Start the run")');
  await a1.waitForSelector('[data-testid=run-progress]');
  await a1.waitForSelector('[data-testid=run-done]', { timeout: 120000 });
  await a1.waitForSelector('article.proposal');
  expect((await a1.textContent('[data-testid=run-done]')).includes('proposals recorded'), 'the run reports its proposals');
  await shot(t, a1, 'run-done');
  // Confirm the first unambiguous proposal.
  await a1.selectOption('select[name=status]', 'proposed');
  const card = a1.locator('article.proposal.has-lr:not(:has(.ident-ambiguous))').first();
  await card.waitFor();
  const pid = await card.getAttribute('data-proposal');
  const lr = await card.locator('dd.lr').textContent();
  expect(Number(lr) > 1, `the analyst sees the LR (${lr})`);
  await card.locator('input[name=reason]').fill('LR far above the threshold; no other candidate');
  await card.locator('button:has-text("Confirm")').click();
  // The outcome stays above the queue after the queue is redrawn (the decided proposal leaves it).
  const decided = a1.locator('[data-testid=decision-status]:has-text("Confirmed.")');
  await decided.waitFor({ timeout: 90000 }); // the server may be busy with other tests on CI's 2 cores
  expect((await decided.textContent()).includes(`#${pid}`), 'the outcome names the proposal decided');
  await a1.waitForTimeout(1000); // the page reloads its queue 0.5 s after a decision: let it finish
  // The same analyst may not sign it off: the four-eyes rule, visible and enforced.
  await a1.selectOption('select[name=status]', 'awaiting_sign_off');
  const mine = a1.locator(`article.proposal.stage-awaiting_sign_off[data-proposal="${pid}"]`);
  await mine.waitFor();
  expect((await mine.textContent()).includes('a second analyst must sign it off'), 'the page warns the confirmer');
  await mine.locator('input[name=reason]').fill('trying to sign off my own decision');
  await mine.locator('button:has-text("Sign off")').click();
  await mine.locator('.error').waitFor();
  await shot(t, a1, 'four-eyes-refused');
  // The second analyst signs it off.
  const a2 = await session('dna.analyst2', t);
  await a2.selectOption('select[name=status]', 'awaiting_sign_off');
  const theirs = a2.locator(`article.proposal.stage-awaiting_sign_off[data-proposal="${pid}"]`);
  await theirs.waitFor();
  await theirs.locator('input[name=reason]').fill('evidence reviewed independently');
  await theirs.locator('button:has-text("Sign off")').click();
  await a2.waitForSelector('text=Signed off.');
  await a2.waitForTimeout(1000); // as above
  await a2.selectOption('select[name=status]', 'confirmed');
  const signed = a2.locator(`article.proposal.stage-signed_off[data-proposal="${pid}"]`);
  await signed.waitFor();
  const trail = await signed.locator('.four-eyes').textContent();
  expect(trail.includes('Proposed by dna.analyst1') && trail.includes('Confirmed by dna.analyst1') && trail.includes('Signed off by dna.analyst2'), `who proposed, confirmed and signed off is shown: ${trail}`);
  await shot(t, a2, 'signed-off');
  // The identification report with the evidence per marker: a PDF for the analyst.
  const report = await signed.locator('[data-testid=report-link]').getAttribute('href');
  const got = await a2.evaluate(async (u) => {
    const r = await fetch(u);
    const bytes = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
  }, report);
  expect(got.status === 200 && got.type.startsWith('application/pdf') && got.head === '%PDF-', `the identification report is a PDF: ${JSON.stringify(got)}`);
  const person = (await signed.locator('header a').getAttribute('href')).replace('#/persons/', '');
  // Family liaison records the notification on the person's page; no genetic data is shown.
  const fl = await session('family.liaison', t);
  await fl.goto(`${base}/#/identifications?status=confirmed`);
  const seen = fl.locator(`article.proposal.stage-signed_off[data-proposal="${pid}"]`);
  await seen.waitFor();
  expect((await seen.locator('dd.lr').count()) === 0, 'family liaison sees no LR');
  await fl.goto(`${base}/#/persons/${person}`);
  await fl.waitForSelector('text=Notification of the family');
  await fl.fill('input[name=reason]', 'visited the family with the liaison team');
  await fl.click('button:has-text("Record the notification")');
  await fl.waitForSelector('text=The family was notified on');
  await shot(t, fl, 'notified');
});

test('statistics', async (t) => {
  const page = await session('statistics', t);
  await page.waitForSelector('[data-testid=charts] svg.chart g.bar');
  const bars = await page.locator('svg.chart g.bar').count();
  expect(bars > 10, `the figures are charted (${bars} bars)`);
  expect((await page.locator('svg.chart g.clickable').count()) === 0, 'no bar leads to names');
  const nav = await page.locator('header nav').textContent();
  expect(!nav.includes('Persons') && !nav.includes('Identifications') && !nav.includes('Remains'), `no page with names or genetic data in the menu: ${nav}`);
  const download = page.waitForEvent('download');
  await page.click('button:has-text("Download as CSV")');
  const csv = fs.readFileSync(await (await download).path(), 'utf8');
  expect(csv.startsWith('key,label,value') && csv.split('\n').length > 10, 'the CSV holds the figures');
  await page.fill('input[name=as_of]', '2020-01-15');
  await page.click('button:has-text("Show")');
  await page.waitForSelector('text=Figures as of 2020-01-15');
  await shot(t, page, 'figures');
  for (const hash of ['#/persons', '#/identifications', '#/persons/1', '#/remains']) {
    await page.goto(base + '/' + hash);
    await page.waitForSelector('[data-testid=not-for-role]');
  }
  await shot(t, page, 'no-names');
  // And the server refuses the data itself, whatever the page does.
  const statuses = await page.evaluate(async () => {
    const out = [];
    for (const u of ['/api/v1/persons?q=a', '/api/v1/persons/1', '/api/v1/identifications', '/api/v1/matches?individual=1', '/api/v1/figures/cells/missing']) {
      out.push((await fetch(u)).status);
    }
    return out;
  });
  expect(statuses.every((s) => s === 403), `the API refuses names and genetic data to statistics: ${statuses}`);
  const text = await page.textContent('body');
  expect(!text.includes('Харатян'), 'no name on the page');
});

test('every-role-every-page', async (t) => {
  // Each role's menu holds only pages that work for it: none shows an error or a refusal (one
  // account per role).
  for (const user of Object.keys(PASSWORDS).filter((u) => u !== 'dna.analyst2')) {
    const page = await session(user, t);
    const links = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.length >= 2, `${user} has pages`);
    for (const href of links) {
      await page.goto(base + '/' + href);
      await page.waitForSelector('main[data-ready]', { state: 'attached' });
      const errors = await page.locator('main .error, [data-testid=not-for-role]').allTextContents();
      if (process.env.WB_WEB_TEST_VERBOSE) console.log(`  ${user} ${href} at ${((Date.now() - t.t0) / 1000).toFixed(1)} s`);
      expect(errors.length === 0, `${user} on ${href}: ${errors.join(' | ')}`);
    }
    if (user === 'auditor') {
      await page.goto(`${base}/#/audit`);
      await page.click('button:has-text("Verify the chain")');
      await page.waitForSelector('text=The audit trail is intact');
      await shot(t, page, 'audit');
    }
    await page.context().close();
    t.contexts.pop();
  }
});

// ---- run ----
let failed = 0;
let ran = 0;
const started = Date.now();
for (const { name, fn } of tests) {
  if (opts.only && name !== opts.only) continue;
  ran++;
  const t = { name, t0: Date.now(), shots: 0, contexts: [], errors: [], outside: [] };
  const t0 = Date.now();
  try {
    await fn(t);
    expect(t.errors.length === 0, `no script error in the page: ${t.errors.join('; ')}`);
    expect(t.outside.length === 0, `no request outside the server: ${t.outside.join(', ')}`);
    console.log(`PASS ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e instanceof Check ? e.message : e.stack}`);
    for (const c of t.contexts) {
      for (const p of c.pages()) await p.screenshot({ path: path.join(opts.out, `${name}-FAILED-${c.pages().indexOf(p)}.png`), fullPage: true }).catch(() => {});
    }
  }
  for (const c of t.contexts) await c.close().catch(() => {});
}
if (ran === 0) {
  console.log(`no test named ${opts.only} (${tests.map((x) => x.name).join(', ')})`);
  failed = 1;
}
await browser.close();
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${failed ? 'FAILED' : 'passed'}: ${ran - failed}/${ran} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${opts.out}`);
process.exit(failed ? 1 : 0);
