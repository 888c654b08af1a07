#!/usr/bin/env node
// Gives the demo register identification proposals through the server's API, as its users would:
// the first DNA analyst starts an identification run on the register's own DNA data (relatives'
// reference profiles, remains profiles on the register's bags and sites) and
// confirms two proposals; the second signs one of them off (so family liaison has a family to
// notify, and the other waits for a second pair of eyes).
// Usage: node web/scripts/demo-seed.mjs URL   (the demo accounts of demo/accounts.h)

const [base] = process.argv.slice(2);
if (!base) {
  console.error('usage: demo-seed.mjs URL');
  process.exit(2);
}

// The server was just started: wait until it answers (up to 60 s).
for (let i = 0; ; i++) {
  try {
    const r = await fetch(`${base}/api/v1/health`);
    if (r.ok) break;
  } catch {
    // not listening yet
  }
  if (i >= 300) throw new Error(`no answer from ${base}`);
  await new Promise((r) => setTimeout(r, 200));
}

async function signIn(username, password) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 201) throw new Error(`sign-in of ${username}: HTTP ${res.status}`);
  const body = await res.json();
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const call = async (method, url, data) => {
    const r = await fetch(base + url, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': body.csrf_token, ...(data ? { 'Content-Type': 'application/json' } : {}) },
      body: data ? JSON.stringify(data) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${url}: HTTP ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return call;
}

const first = await signIn('dna.analyst1', 'dna-analyst1-demo');
const { identifications: before } = await first('GET', '/api/v1/identifications');
// The demo's own history has proposals made by hand; a run's proposals carry its id.
if (before.some((p) => p.run)) {
  console.log('the register already has proposals of an identification run');
} else {
  console.log("a first DNA analyst starts an identification run on the register's own DNA data (through the API)...");
  const run = await first('POST', '/api/v1/identification-runs', {
    source: 'register',
    reason: "demo: a run on the register's own DNA data",
  });
  for (;;) {
    const s = await first('GET', `/api/v1/identification-runs/${run.id}`);
    if (s.status === 'failed') throw new Error(`identification run failed: ${JSON.stringify(s.error)}`);
    if (s.status === 'done') {
      console.log(`identification run ${run.id} on the register: ${s.counts.proposed} proposals (${s.counts.proposed_ambiguous} ambiguous)`);
      for (const [why, n] of Object.entries(s.counts.left_out ?? {})) console.log(`  left out: ${n} ${why}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const { identifications } = await first('GET', '/api/v1/identifications?status=proposed');
  const clear = identifications.filter((p) => !p.ambiguous).slice(0, 2);
  for (const p of clear) {
    await first('POST', `/api/v1/identifications/${p.id}/confirm`, { reason: 'demo: LR above the threshold, no conflicting candidate' });
  }
  if (clear.length > 0) {
    const second = await signIn('dna.analyst2', 'dna-analyst2-demo');
    await second('POST', `/api/v1/identifications/${clear[0].id}/sign-off`, { reason: 'demo: evidence reviewed by a second analyst' });
    console.log(`proposal ${clear[0].id} confirmed and signed off; proposal ${clear[1]?.id ?? '-'} confirmed, awaiting sign-off`);
  }
}
