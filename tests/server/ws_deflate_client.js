// A compressing client written with npm `ws` (nobody here wrote it) for the built-in server's
// permessage-deflate: node ws_deflate_client.js URL OPTIONS_JSON [SIZES]. OPTIONS_JSON is ws's
// perMessageDeflate option (false: no offer). Sends every payload kind x size x fragmentation
// (none, 256, 4096 bytes; ws compresses the fragments of one message as one deflate stream, RSV1
// on the first only), one at a time, and compares each echo byte for byte. Prints one JSON line:
// {extensions, sent, matched, mismatches, payloadBytes, bytesRead, bytesWritten, closeCode}.
'use strict';
const path = require('path');
const crypto = require('crypto');
const WebSocket = require(path.join(process.env.WSI_NODE_MODULES || '', 'ws'));

const url = process.argv[2];
const options = JSON.parse(process.argv[3] || '{"threshold":0}');
const sizes = (process.argv[4] || '16,1000,16384,131072').split(',').map(Number);

function payload(kind, size) {
    let text;
    switch (kind) {
    case 'text':
        text = 'The quick brown fox jumps over the lazy dog. ';
        break;
    case 'json':
        text = '{"id":12,"user":"ann","tags":["a","b"],"text":"你好, WebSocket"},';
        break;
    case 'html':
        text = '<li class="row"><a href="/item/7">Item seven</a> <span>in stock</span></li>\n';
        break;
    case 'image': { // image-like: smooth gradients with noise, compressible but not text
        const b = Buffer.alloc(size);
        for (let i = 0; i < size; ++i)
            b[i] = (i % 256 + ((i * 7919) >> 13)) & 0xff ^ (i % 13 === 0 ? 0x5a : 0);
        return { data: b, binary: true };
    }
    default:
        return { data: crypto.randomBytes(size), binary: true };
    }
    // Whole characters only (the JSON kind has multi-byte ones), cut to about size bytes.
    let s = text.repeat(Math.ceil(size / text.length) + 1);
    let b = Buffer.from(s);
    while (b.length > size) {
        s = s.slice(0, s.length - Math.max(1, Math.floor((b.length - size) / 3)));
        b = Buffer.from(s);
    }
    return { data: s, binary: false };
}

const cases = [];
for (const kind of ['text', 'json', 'html', 'image', 'random'])
    for (const size of sizes)
        for (const frag of [0, 256, 4096])
            cases.push({ kind, size, frag });

const result = { extensions: '', sent: 0, matched: 0, mismatches: [], payloadBytes: 0 };
const socket = new WebSocket(url, { perMessageDeflate: options });
let current = null;

function next() {
    if (cases.length === 0) {
        result.bytesRead = socket._socket.bytesRead;
        result.bytesWritten = socket._socket.bytesWritten;
        socket.close(1000, 'done');
        return;
    }
    const c = cases.shift();
    const p = payload(c.kind, c.size);
    current = { c, expected: Buffer.from(p.data) };
    result.sent++;
    result.payloadBytes += current.expected.length;
    if (c.frag === 0 || current.expected.length <= c.frag) {
        socket.send(p.data, { binary: p.binary, compress: true });
        return;
    }
    const all = current.expected;
    for (let pos = 0; pos < all.length;) {
        let end = Math.min(all.length, pos + c.frag);
        // Text fragments end on whole characters: RFC 6455 allows a split, but Qt 6.4 refuses it
        // with 1007 in an uncompressed message (the bridge joins compressed ones).
        while (!p.binary && end < all.length && (all[end] & 0xc0) === 0x80)
            --end;
        socket.send(all.subarray(pos, end), { binary: p.binary, compress: true, fin: end === all.length });
        pos = end;
    }
}

socket.on('open', () => {
    // What ws accepted from the 101: the extension's parameters, e.g. "server_max_window_bits=9".
    const pmd = socket._extensions['permessage-deflate'];
    result.extensions = pmd ? Object.entries(pmd.params).map(([k, v]) => (v === true ? k : k + '=' + v)).join('; ') : 'none';
    next();
});
socket.on('message', (data, isBinary) => {
    const c = current.c;
    const same = Buffer.compare(Buffer.from(data), current.expected) === 0 && isBinary === (c.kind === 'image' || c.kind === 'random');
    if (same)
        result.matched++;
    else
        result.mismatches.push(c.kind + ' ' + c.size + ' frag ' + c.frag + ': got ' + data.length + ' bytes');
    next();
});
socket.on('close', (code) => {
    result.closeCode = code;
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(0);
});
socket.on('error', (e) => {
    process.stdout.write(JSON.stringify({ error: e.message }) + '\n');
    process.exit(1);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
