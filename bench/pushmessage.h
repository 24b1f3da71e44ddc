#pragma once

#include <QByteArray>

#include <algorithm>
#include <cstring>

namespace wsi::bench {

// The messages of wsinspector-sender: "push #000000123 " padded with '.' to the message size, so a
// receiver can check order and bytes of every message from its number alone.
constexpr int kPushPrefixSize = 6; // "push #"
constexpr int kPushDigits = 9;
constexpr int kPushMinSize = kPushPrefixSize + kPushDigits + 1;
constexpr int kPushMaxSize = 16 * 1024 * 1024;

// Writes seq as kPushDigits decimal digits at payload + kPushPrefixSize.
inline void writePushNumber(char* payload, qint64 seq)
{
    for (int i = kPushPrefixSize + kPushDigits - 1; i >= kPushPrefixSize; --i) {
        payload[i] = char('0' + seq % 10);
        seq /= 10;
    }
}

inline QByteArray pushMessage(qint64 seq, int size)
{
    QByteArray p(std::max(size, kPushMinSize), '.');
    std::memcpy(p.data(), "push #", kPushPrefixSize);
    writePushNumber(p.data(), seq);
    p[kPushPrefixSize + kPushDigits] = ' ';
    return p;
}

} // namespace wsi::bench
