#pragma once

#include <Qt>

namespace wsi::MessageLogModelDefs {

enum Column { NumberColumn, TimeColumn, DirectionColumn, TypeColumn, SizeColumn, PreviewColumn, ColumnCount };

enum Role {
    KindRole = Qt::UserRole + 1, // LogEntry::Kind as int
    DirectionRole, // Direction as int
    TimeUsRole, // qint64 epoch microseconds
    PayloadRole, // QByteArray, the whole payload
    CloseCodeRole, // int
    FrameCountRole, // int, frames seen on the wire for this row
    EntryRole, // QVariant::fromValue(LogEntry) rebuilt from storage
    SerialRole, // qint64, position since the log began (row number - 1); survives eviction
    SizeRole, // qint64 payload bytes, for every kind
    WireSizeRole, // qint64 payload bytes on the wire (compressed size for permessage-deflate), messages and control
                  // frames
};

enum class TimeFormat { Absolute, RelativeToConnect, DeltaToPrevious };

} // namespace wsi::MessageLogModelDefs
