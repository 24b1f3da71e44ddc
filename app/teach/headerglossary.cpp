#include "headerglossary.h"

using namespace Qt::StringLiterals;

namespace wsi {

QString HeaderGlossary::explain(QByteArrayView name, bool request)
{
    const QByteArray n = name.toByteArray().trimmed().toLower();
    if (n == "host")
        return tr("The server's name and port, as in the URL: lets one address serve many sites (RFC 6455 §4.1).");
    if (n == "upgrade")
        return request ? tr("Asks the server to switch this HTTP connection to the WebSocket protocol.")
                       : tr("The server agrees to switch to WebSocket; must be \"websocket\" (RFC 6455 §4.1).");
    if (n == "connection")
        return request ? tr("Says that Upgrade is meant for this hop: the connection changes protocol.")
                       : tr("Must contain the token \"Upgrade\" for the switch to happen (RFC 6455 §4.1).");
    if (n == "sec-websocket-key")
        return tr("16 random bytes in base64, new for every connection: the server proves it read this request by "
                  "hashing it into Sec-WebSocket-Accept.");
    if (n == "sec-websocket-accept")
        return tr("base64(SHA-1(key + the GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)): proves the server understood "
                  "the WebSocket request; the client must check it (RFC 6455 §4.2.2).");
    if (n == "sec-websocket-version")
        return request ? tr("The protocol version the client speaks: 13 is RFC 6455.")
                       : tr("Sent with a refusal (426) to list the versions the server speaks.");
    if (n == "sec-websocket-protocol")
        return request ? tr("Subprotocols the client offers, in order of preference (wx.connectSocket's protocols).")
                       : tr("The one subprotocol the server chose from the client's list; it must be one that was "
                            "offered.");
    if (n == "sec-websocket-extensions")
        return request ? tr("Extensions the client offers, e.g. permessage-deflate compression (RFC 7692).")
                       : tr("Extensions the server accepted, with their parameters; only offered ones are allowed.");
    if (n == "origin")
        return tr("The web page's origin that opens the socket; servers use it to refuse other sites' pages.");
    if (n == "user-agent")
        return tr("The client program and its version.");
    if (n == "cookie")
        return tr("Cookies the client sends along, as with any HTTP request (often a login session).");
    if (n == "set-cookie")
        return tr("A cookie the server asks the client to store.");
    if (n == "authorization")
        return tr("Credentials for the server (for example \"Bearer <token>\"): treat its value as a secret.");
    if (n == "www-authenticate")
        return tr("The server wants credentials and says which kind (comes with a 401 refusal).");
    if (n == "proxy-authorization")
        return tr("Credentials for a proxy between the client and the server.");
    if (n == "server")
        return tr("The server software's name (informational).");
    if (n == "date")
        return tr("When the server sent the response.");
    if (n == "location")
        return tr("Where the server redirects the client (3xx refusal); WebSocket clients do not follow it on their "
                  "own.");
    if (n == "content-length")
        return tr("The size of the body after the head; a 101 response has no body.");
    if (n == "content-type")
        return tr("The kind of body that follows (for an error page, usually HTML or text).");
    if (n == "transfer-encoding")
        return tr("The body is sent in pieces (chunked); only refusals have a body.");
    if (n == "cache-control" || n == "pragma")
        return tr("Tells caches and proxies not to store or reuse this exchange.");
    if (n == "retry-after")
        return tr("How long to wait before trying again (with 429 or 503).");
    if (n.startsWith("access-control-"))
        return tr("CORS: which web pages may read HTTP responses; browsers do not apply it to WebSocket.");
    if (n.startsWith("x-"))
        return tr("A custom header of the application, not part of the WebSocket protocol.");
    return {};
}

} // namespace wsi
