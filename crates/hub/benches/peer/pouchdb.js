//! PouchDB replication over HTTP on 127.0.0.1, the peer measured beside `crates/hub/benches/sync.rs`.
//
// Usage: node pouchdb.js <dir holding node_modules> <work dir> <events>
// `cargo xtask bench` installs pouchdb, express and express-pouchdb with npm and runs this with the
// same number of events as the Rust benchmark. The events have the same fields and sizes as ours
// (id, device, seq, hlc, kind, aggregate, a small payload, the previous hash and the hash), one
// document each. The office is a PouchDB on disk (LevelDB); the hub is express-pouchdb serving
// PouchDB on disk over HTTP; replication is PouchDB's own, as an app built on it would use it.
// Prints one JSON line per figure, as the Rust benchmarks do.

'use strict';
const path = require('path');
const crypto = require('crypto');

const [modules, work, eventsArg] = process.argv.slice(2);
const load = (name) => require(path.join(modules, 'node_modules', name));
const PouchDB = load('pouchdb');
const express = load('express');
const expressPouchDB = load('express-pouchdb');
const total = parseInt(eventsArg || '100000', 10);

// A hung replication fails the run rather than stalling `cargo xtask bench`.
setTimeout(() => {
  console.error('pouchdb benchmark: gave up after 15 minutes');
  process.exit(2);
}, 15 * 60 * 1000).unref();

let seq = 0;
let prev = Buffer.alloc(32);
// The payload our events carry in this benchmark: canonical CBOR of {"note": "测试"}.
const payload = Buffer.from('a1646e6f7465 66e6b58be8af95'.replace(/ /g, ''), 'hex').toString('base64');
function nextEvent() {
  seq += 1;
  const body = { device: 'baseline', seq, hlc: Date.now() * 65536 + seq, kind: 'complaint.screened',
    aggregate: `complaint:${Math.floor(seq / 10)}`, payload, prev: prev.toString('hex') };
  const hash = crypto.createHash('sha256').update(JSON.stringify(body)).digest();
  prev = hash;
  return { _id: crypto.randomUUID(), ...body, hash: hash.toString('hex') };
}

async function add(db, n) {
  for (let done = 0; done < n; done += 2000) {
    const docs = [];
    for (let i = 0; i < Math.min(2000, n - done); i += 1) docs.push(nextEvent());
    await db.bulkDocs(docs);
  }
}

function emit(name, fields) {
  console.log(JSON.stringify({ bench: name, ...fields }));
}

async function main() {
  const fs = require('fs');
  for (const d of ['hub', 'office']) fs.mkdirSync(path.join(work, d), { recursive: true });
  const ServerDB = PouchDB.defaults({ prefix: path.join(work, 'hub') + path.sep });
  const OfficeDB = PouchDB.defaults({ prefix: path.join(work, 'office') + path.sep });
  const app = express();
  app.use('/', expressPouchDB(ServerDB, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: path.join(work, 'log.txt') }));
  const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const remote = `http://127.0.0.1:${server.address().port}/hub`;
  const office = new OfficeDB('office');

  // The same first run as ours: a fresh hub receives everything the office has.
  await add(office, total);
  let t = process.hrtime.bigint();
  const first = await PouchDB.replicate(office, remote, { batch_size: 2000 });
  let seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (first.docs_written !== total) throw new Error(`replicated ${first.docs_written} of ${total}`);
  emit('peer_pouchdb_acked', { events: total, seconds: Math.round(seconds * 1000) / 1000, per_second: Math.round(total / seconds) });

  // Incremental: 100 new events, then one replication, twenty times.
  const millis = [];
  for (let round = 0; round < 20; round += 1) {
    await add(office, 100);
    t = process.hrtime.bigint();
    const r = await PouchDB.replicate(office, remote, { batch_size: 2000 });
    millis.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.docs_written !== 100) throw new Error(`incremental run wrote ${r.docs_written}`);
  }
  millis.sort((a, b) => a - b);
  const at = (p) => Math.round(millis[Math.round((millis.length - 1) * p)] * 1000) / 1000;
  emit('peer_pouchdb_incremental_100', { runs: millis.length, p50_ms: at(0.5), p95_ms: at(0.95) });

  await office.close();
  server.close();
  process.exit(0);
}

main().catch((e) => {
  console.error(`pouchdb benchmark failed: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
