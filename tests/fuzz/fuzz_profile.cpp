// profiles.json as the profile store reads it: any JSON, any shape. A profile read back from what
// it wrote must be the same profile (nothing lost or invented on a save).
#include "fuzz_common.h"
#include "profiles/profile.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace wsi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    const QByteArray data(reinterpret_cast<const char*>(bytes), qsizetype(size));
    const QJsonDocument doc = QJsonDocument::fromJson(data);
    QJsonArray profiles;
    if (doc.isObject())
        profiles = doc.object().value(QStringLiteral("profiles")).toArray();
    if (doc.isArray())
        profiles = doc.array();
    for (const QJsonValue& v : std::as_const(profiles)) {
        const Profile p = Profile::fromJson(v.toObject());
        const QJsonObject saved = p.toJson();
        const Profile again = Profile::fromJson(saved);
        WSI_FUZZ_ASSERT(again.toJson() == saved);
    }
    return 0;
}
