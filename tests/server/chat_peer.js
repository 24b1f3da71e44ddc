// A chat member written with npm `ws` (nobody here wrote it), in the text format wscat users get:
// node chat_peer.js URL. Says hello, renames itself once it hears "Ann: ", prints every line it
// receives, and closes with 1000 once its rename has come back.
'use strict';
const path = require('path');
const WebSocket = require(path.join(process.env.WSI_NODE_MODULES || '', 'ws'));

const socket = new WebSocket(process.argv[2]);
let renamed = false;
socket.on('open', () => {
    process.stdout.write('open\n');
    socket.send('hello from ws');
});
socket.on('message', (data) => {
    const line = data.toString();
    process.stdout.write('< ' + line + '\n');
    if (!renamed && line.startsWith('Ann: ')) {
        renamed = true;
        socket.send('/name Robert');
    }
    if (line === '* Bob is now Robert')
        socket.close(1000, 'done');
});
socket.on('close', (code, reason) => {
    process.stdout.write('close ' + code + ' ' + reason + '\n');
    process.exit(0);
});
socket.on('error', (e) => {
    process.stdout.write('error ' + e.message + '\n');
    process.exit(1);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
