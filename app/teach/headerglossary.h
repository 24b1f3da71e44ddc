#pragma once

#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

namespace wsi {

// One-line explanations of the HTTP headers seen in a WebSocket opening handshake, for Explain
// mode (a column and tooltips in the Handshake tab). Written for learners: what the header is for
// in this handshake, with the RFC section where one defines it.
class HeaderGlossary
{
    Q_DECLARE_TR_FUNCTIONS(wsi::HeaderGlossary)
public:
    // request: the header is in the client's request (else in the server's response). Empty when
    // the header is not known; custom X- headers get a generic line.
    static QString explain(QByteArrayView name, bool request);
};

} // namespace wsi
