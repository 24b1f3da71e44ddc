// Interop peer: the npm "ws" server (pinned in package-lock.json). Prints "PORT <n>", sends the
// request's raw headers as its first message, echoes text and binary messages, closes with
// 4002 "server bye" when asked with the text "close-me", and prints "CLOSED <code> <reason>".
'use strict';
const { WebSocketServer } = require('ws');
const common = require('./peer_common');

common.exitWithParent();
const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    handleProtocols: (protocols) => common.pickProtocol([...protocols]) || false,
});
wss.on('listening', () => common.log('PORT ' + wss.address().port));
wss.on('connection', (ws, req) => {
    ws.send(common.hello(req.rawHeaders, ws.protocol));
    ws.on('message', (data, isBinary) => {
        if (!isBinary && data.toString() === 'close-me') {
            ws.close(4002, 'server bye');
            return;
        }
        ws.send(data, { binary: isBinary });
    });
    ws.on('close', (code, reason) => common.log('CLOSED ' + code + ' ' + reason.toString()));
});
