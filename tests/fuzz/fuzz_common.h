#pragma once

#include <QByteArrayView>

#include <cstdio>
#include <cstdlib>

// A property that must hold for every input: a failure is a finding like a crash.
#define WSI_FUZZ_ASSERT(cond)                                                                                          \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            std::fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);                          \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)

namespace wsi::fuzz {

// Splits the input at a point chosen by its first byte, so that one input also tests a read
// boundary; returns the rest of the input.
inline QByteArrayView takeSplit(QByteArrayView& data, qsizetype* split)
{
    if (data.isEmpty()) {
        *split = 0;
        return data;
    }
    const unsigned char b = static_cast<unsigned char>(data.front());
    data = data.sliced(1);
    *split = data.isEmpty() ? 0 : qsizetype(b) % (data.size() + 1);
    return data;
}

} // namespace wsi::fuzz
