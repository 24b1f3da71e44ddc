// Test peer for tst_wirerelay: the npm `ws` server (pinned in tests/interop) plus a plain HTTP
// path that refuses the upgrade. Prints its port on the first line of stdout.
//   /auth   -> 401 with WWW-Authenticate and a body instead of 101
//   else    -> WebSocket; the 101 carries "X-Custom: hello-from-ws"
// Messages: "headers" -> the raw request headers as JSON [[name, value], ...] in wire order;
//           "ping-me" -> a ping with payload "srv-ping"; "pong-me" -> an unsolicited pong "heartbeat"; "frag" -> "frag"+"ment" as two frames;
//           "close-me" -> close 4002 "server bye".
const http = require('http');
const { WebSocketServer } = require('ws');

const wss = new WebSocketServer({ noServer: true });
wss.on('headers', (headers) => headers.push('X-Custom: hello-from-ws'));
const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
server.on('upgrade', (req, socket, head) => {
    if (req.url === '/auth') {
        const body = 'Sign in first, please.';
        socket.end('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="test"\r\n'
            + 'Content-Type: text/plain\r\nContent-Length: ' + body.length + '\r\n\r\n' + body);
        return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
        const raw = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2)
            raw.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
        ws.on('message', (data) => {
            const text = data.toString();
            if (text === 'headers') ws.send(JSON.stringify(raw));
            else if (text === 'ping-me') ws.ping('srv-ping');
            else if (text === 'pong-me') ws.pong('heartbeat');
            else if (text === 'frag') { ws.send('frag', { fin: false }); ws.send('ment', { fin: true }); }
            else if (text === 'close-me') ws.close(4002, 'server bye');
        });
    });
});
server.listen(0, '127.0.0.1', () => { console.log(server.address().port); });
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
