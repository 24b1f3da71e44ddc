// Shared by the two interop peers: what a test needs to see from the server side.
'use strict';

// The test kills us, but if it crashes first, a closed stdin ends us too.
exports.exitWithParent = function () {
    process.stdin.on('end', () => process.exit(0));
    process.stdin.resume();
};

// Offered subprotocols -> the one the server picks: "chat.v2" if offered, else none.
exports.pickProtocol = function (offered) {
    return offered.includes('chat.v2') ? 'chat.v2' : null;
};

// First message to the client: the request's header lines exactly as received, in order
// (node keeps raw bytes as latin1 characters), and the protocol the server chose.
exports.hello = function (rawHeaders, protocol) {
    return JSON.stringify({ rawHeaders: rawHeaders, protocol: protocol || '' });
};

exports.log = function (line) {
    process.stdout.write(line + '\n');
};
