// Test peer for tst_messagecodec: compresses or inflates permessage-deflate message payloads the
// way npm ws does (raw deflate, Z_SYNC_FLUSH, the 00 00 ff ff tail stripped and re-appended).
// Only node's built-in zlib is used; node_modules are not needed.
//   node node_zlib.js deflate|inflate WINDOW_BITS TAKEOVER(1|0) IN_FILE OUT_FILE
// Files hold one base64 message per line (an empty line is an empty message).
'use strict';
const fs = require('fs');
const zlib = require('zlib');

const [mode, bitsArg, takeoverArg, inFile, outFile] = process.argv.slice(2);
const windowBits = Number(bitsArg);
const takeover = takeoverArg === '1';
const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const lines = fs.readFileSync(inFile, 'utf8').split('\n');
if (lines.length && lines[lines.length - 1] === '') lines.pop();
const messages = lines.map((l) => Buffer.from(l, 'base64'));

function makeStream() {
  return mode === 'deflate'
    ? zlib.createDeflateRaw({ windowBits })
    : zlib.createInflateRaw({ windowBits });
}

// One message through the stream: write, then a sync flush; resolve with what came out.
function processOne(stream, data) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const onData = (c) => chunks.push(c);
    stream.on('data', onData);
    stream.once('error', reject);
    stream.write(data);
    if (mode === 'inflate') stream.write(TAIL);
    stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      stream.removeListener('data', onData);
      stream.removeListener('error', reject);
      let out = Buffer.concat(chunks);
      if (mode === 'deflate') {
        if (!out.subarray(out.length - 4).equals(TAIL)) reject(new Error('no sync-flush tail'));
        out = out.subarray(0, out.length - 4);
      }
      resolve(out);
    });
  });
}

(async () => {
  const out = [];
  let stream = makeStream();
  for (const m of messages) {
    out.push((await processOne(stream, m)).toString('base64'));
    if (!takeover) {
      stream.close();
      stream = makeStream();
    }
  }
  stream.close();
  fs.writeFileSync(outFile, out.map((l) => l + '\n').join(''));
})().catch((e) => {
  console.error(String(e && e.message ? e.message : e));
  process.exit(1);
});
