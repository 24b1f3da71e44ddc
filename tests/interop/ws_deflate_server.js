// Interop peer for permessage-deflate: npm "ws" (pinned in package-lock.json) servers in the
// configurations of Autobahn TestSuite cases 12 and 13, one port each. Prints "SERVER <name>
// <port>" per server, then "PORT <port of the first>". Every server echoes each message with
// compression on, in fragments of N bytes when the request path is /frag/N (ws compresses the
// fragments of one message as one deflate stream, RSV1 on the first only).
'use strict';
const { WebSocketServer } = require('ws');
const common = require('./peer_common');

common.exitWithParent();

// threshold 0: every message is compressed, also the 16-byte ones.
const configs = [
    ['default', { threshold: 0 }],
    ['server-window-9', { threshold: 0, serverMaxWindowBits: 9 }],
    ['client-window-9', { threshold: 0, clientMaxWindowBits: 9 }],
    ['no-context-takeover', { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true }],
    ['any', { threshold: 0, serverMaxWindowBits: true, clientMaxWindowBits: true }],
    ['declined', false],
];

let pending = configs.length;
const ports = [];
configs.forEach(([name, perMessageDeflate], index) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate });
    wss.on('listening', () => {
        ports[index] = wss.address().port;
        common.log('SERVER ' + name + ' ' + ports[index]);
        if (--pending === 0)
            common.log('PORT ' + ports[0]);
    });
    wss.on('connection', (ws, req) => {
        const match = /\/frag\/(\d+)/.exec(req.url);
        const frag = match ? parseInt(match[1], 10) : 0;
        ws.on('message', (data, isBinary) => {
            if (frag <= 0 || data.length <= frag) {
                ws.send(data, { binary: isBinary, compress: true });
                return;
            }
            for (let pos = 0; pos < data.length; pos += frag) {
                const last = pos + frag >= data.length;
                ws.send(data.subarray(pos, pos + frag), { binary: isBinary, compress: true, fin: last });
            }
        });
    });
});
