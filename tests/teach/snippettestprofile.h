#pragma once

#include "profiles/profile.h"

namespace wsi::test {

// A profile that exercises every branch of the snippet generator, with characters each language
// must escape (quotes, backslashes, '?', non-ASCII) and a secret that must never be written out.
inline Profile snippetTestProfile()
{
    using namespace Qt::StringLiterals;
    Profile p;
    p.name = u"every option"_s;
    p.url = u"wss://example.com:8443/chat?room=1&name=O'Brien"_s;
    p.headers = {
        { u"X-Quote"_s, u"it's \"quoted\" \\ back\\slash ?\?= 你好"_s, true, false },
        { u"Authorization"_s, u"Bearer SECRET-TOKEN-123"_s, true, true },
        { u"X-Disabled"_s, u"never"_s, false, false },
        { u"Referer"_s, u"https://example.com/page"_s, true, false },
    };
    p.subprotocols = { u"chat"_s, u"superchat"_s };
    p.origin = u"https://example.com"_s;
    p.handshakeTimeoutMs = 5000;
    p.tcpNoDelay = false;
    p.perMessageDeflate = true;
    p.tls.verify = false;
    return p;
}

} // namespace wsi::test
