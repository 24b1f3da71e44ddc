#include "profile.h"

using namespace Qt::StringLiterals;

namespace wsi {

Profile Profile::builtinEcho()
{
    Profile p;
    p.id = u"builtin-echo"_s;
    p.name = u"Built-in echo server"_s;
    p.url = u"builtin:echo"_s;
    return p;
}

} // namespace wsi
