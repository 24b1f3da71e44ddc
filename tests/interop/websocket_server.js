// Interop peer: the npm "websocket" package (WebSocket-Node), pinned in package-lock.json. Same
// behaviour as ws_server.js: prints "PORT <n>", sends the raw request headers first, echoes,
// closes with 4002 "server bye" on "close-me", prints "CLOSED <code> <reason>".
'use strict';
const http = require('http');
const WebSocketServer = require('websocket').server;
const common = require('./peer_common');

common.exitWithParent();
const server = http.createServer((req, res) => {
    res.writeHead(404);
    res.end();
});
const wss = new WebSocketServer({
    httpServer: server,
    autoAcceptConnections: false,
    maxReceivedFrameSize: 16 * 1024 * 1024,
    maxReceivedMessageSize: 16 * 1024 * 1024,
});
wss.on('request', (request) => {
    const connection = request.accept(common.pickProtocol(request.requestedProtocols), request.origin);
    connection.sendUTF(common.hello(request.httpRequest.rawHeaders, connection.protocol));
    connection.on('message', (message) => {
        if (message.type === 'utf8') {
            if (message.utf8Data === 'close-me')
                connection.close(4002, 'server bye');
            else
                connection.sendUTF(message.utf8Data);
        } else {
            connection.sendBytes(message.binaryData);
        }
    });
    connection.on('close', (code, description) => common.log('CLOSED ' + code + ' ' + description));
});
server.listen(0, '127.0.0.1', () => common.log('PORT ' + server.address().port));
