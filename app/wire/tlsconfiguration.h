#pragma once

#include "profiles/profile.h"
#include "util/result.h"

#ifndef QT_NO_SSL
#include <QSslConfiguration>

namespace wsi {

// The TLS configuration for an upstream wss connection: the system's CA certificates plus the
// profile's CA file, and the client certificate with its key (RSA, EC or DSA; the key may sit in
// the certificate file). Peer verification stays on: verify=false and pinned fingerprints are
// applied to the errors the handshake reports, so they can be shown. Fails with an Error naming
// the file that could not be read and why.
Result<QSslConfiguration> buildTlsConfiguration(const TlsSettings& settings);

} // namespace wsi
#endif
