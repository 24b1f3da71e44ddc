<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ByteCount</name>
    <message numerus="yes">
        <location filename="../app/util/bytecount.h" line="+20"/>
        <location line="+5"/>
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::AcceptDerivation</name>
    <message numerus="yes">
        <location filename="../app/teach/acceptderivation.cpp" line="+25"/>
        <source>The key decodes to %n byte(s); RFC 6455 §4.1 asks for 16 random bytes.</source>
        <translation>
            <numerusform>The key decodes to %n byte; RFC 6455 §4.1 asks for 16 random bytes.</numerusform>
            <numerusform>The key decodes to %n bytes; RFC 6455 §4.1 asks for 16 random bytes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::ActionRunner</name>
    <message numerus="yes">
        <location filename="../app/send/actionrunner.cpp" line="+192"/>
        <source>The connection closed: %n action(s) were not carried out.</source>
        <translation>
            <numerusform>The connection closed: %n action was not carried out.</numerusform>
            <numerusform>The connection closed: %n actions were not carried out.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::CaptureCommands</name>
    <message numerus="yes">
        <location filename="../app/cli/capturecommands.cpp" line="+83"/>
        <source>%1 → %2: %n connection(s)</source>
        <translation>
            <numerusform>%1 → %2: %n connection</numerusform>
            <numerusform>%1 → %2: %n connections</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+96"/>
        <source>%1 holds %n connection(s); replaying the first (choose with --connection N).</source>
        <translation>
            <numerusform>%1 holds %n connection; replaying the first (choose with --connection N).</numerusform>
            <numerusform>%1 holds %n connections; replaying the first (choose with --connection N).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>Replaying %n message(s)</source>
        <translation>
            <numerusform>Replaying %n message</numerusform>
            <numerusform>Replaying %n messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+36"/>
        <source>All %n answer(s) match the recording.</source>
        <translation>
            <numerusform>The %n answer matches the recording.</numerusform>
            <numerusform>All %n answers match the recording.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n answer(s) differ from the recording</source>
        <translation>
            <numerusform>%n answer differs from the recording</numerusform>
            <numerusform>%n answers differ from the recording</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source> (%n compared).</source>
        <translation>
            <numerusform> (%n compared).</numerusform>
            <numerusform> (%n compared).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::CaptureView</name>
    <message numerus="yes">
        <location filename="../ui/capture/captureview.cpp" line="+207"/>
        <source>… and %n more (see the tooltip).</source>
        <translation>
            <numerusform>… and %n more (see the tooltip).</numerusform>
            <numerusform>… and %n more (see the tooltip).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::ChatRoom</name>
    <message numerus="yes">
        <location filename="../app/server/chatroom.cpp" line="+50"/>
        <source>Usage: /name NEW_NAME (up to %n characters)</source>
        <translation>
            <numerusform>Usage: /name NEW_NAME (up to %n character)</numerusform>
            <numerusform>Usage: /name NEW_NAME (up to %n characters)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::ClassroomServer</name>
    <message numerus="yes">
        <location filename="../app/server/classroomserver.cpp" line="+516"/>
        <source>The server is full (%n clients at most): try again later.</source>
        <translation>
            <numerusform>The server is full (%n client at most): try again later.</numerusform>
            <numerusform>The server is full (%n clients at most): try again later.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+75"/>
        <source>Too many messages: at most %n per second.</source>
        <translation>
            <numerusform>Too many messages: at most %n per second.</numerusform>
            <numerusform>Too many messages: at most %n per second.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::Connection</name>
    <message numerus="yes">
        <location filename="../app/session/connection.cpp" line="+315"/>
        <source>Discarded %n unread byte(s) from the server after the connection ended.</source>
        <translation>
            <numerusform>Discarded %n unread byte from the server after the connection ended.</numerusform>
            <numerusform>Discarded %n unread bytes from the server after the connection ended.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::FrameDiagram</name>
    <message numerus="yes">
        <location filename="../app/teach/framediagram.cpp" line="+82"/>
        <source>%n byte(s) of payload</source>
        <translation>
            <numerusform>%n byte of payload</numerusform>
            <numerusform>%n bytes of payload</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::HandshakeCheck</name>
    <message numerus="yes">
        <location filename="../app/wire/handshakecheck.cpp" line="+213"/>
        <source>The server closed the connection in the middle of its response head, after %n byte(s) and before the empty line that ends it.</source>
        <translation>
            <numerusform>The server closed the connection in the middle of its response head, after %n byte and before the empty line that ends it.</numerusform>
            <numerusform>The server closed the connection in the middle of its response head, after %n bytes and before the empty line that ends it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+172"/>
        <source>The server sent %n byte(s) of a response head, not even a complete status line (&quot;%1&quot;), and never the empty line that ends it: the handshake timed out after %2 ms.</source>
        <translation>
            <numerusform>The server sent %n byte of a response head, not even a complete status line (&quot;%1&quot;), and never the empty line that ends it: the handshake timed out after %2 ms.</numerusform>
            <numerusform>The server sent %n bytes of a response head, not even a complete status line (&quot;%1&quot;), and never the empty line that ends it: the handshake timed out after %2 ms.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>then %n header line(s)</source>
        <translation>
            <numerusform>then %n header line</numerusform>
            <numerusform>then %n header lines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>The server sent %n byte(s) of a response head (%1, %2) but never the empty line that ends it: the handshake timed out after %3 ms.</source>
        <translation>
            <numerusform>The server sent %n byte of a response head (%1, %2) but never the empty line that ends it: the handshake timed out after %3 ms.</numerusform>
            <numerusform>The server sent %n bytes of a response head (%1, %2) but never the empty line that ends it: the handshake timed out after %3 ms.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::HarReader</name>
    <message numerus="yes">
        <location filename="../app/capture/harreader.cpp" line="+485"/>
        <source>More messages were skipped; only the first %n are listed.</source>
        <translation>
            <numerusform>More messages were skipped; only the first %n is listed.</numerusform>
            <numerusform>More messages were skipped; only the first %n are listed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+470"/>
        <location line="+16"/>
        <source>%n HTTP entry(s) of the HAR file skipped (only WebSocket entries are opened).</source>
        <translation>
            <numerusform>%n HTTP entry of the HAR file skipped (only WebSocket entries are opened).</numerusform>
            <numerusform>%n HTTP entries of the HAR file skipped (only WebSocket entries are opened).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="-5"/>
        <source>The HAR file has no WebSocket entry (%n HTTP entry(s) skipped). Export it from the browser&apos;s Network panel with the WebSocket connection selected.</source>
        <translation>
            <numerusform>The HAR file has no WebSocket entry (%n HTTP entry skipped). Export it from the browser&apos;s Network panel with the WebSocket connection selected.</numerusform>
            <numerusform>The HAR file has no WebSocket entry (%n HTTP entries skipped). Export it from the browser&apos;s Network panel with the WebSocket connection selected.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::HttpBody</name>
    <message numerus="yes">
        <location filename="../app/wire/httpbody.cpp" line="+33"/>
        <location line="+16"/>
        <location line="+7"/>
        <source>Chunked body cut short after %n chunk(s); shown as far as it arrived.</source>
        <translation>
            <numerusform>Chunked body cut short after %n chunk; shown as far as it arrived.</numerusform>
            <numerusform>Chunked body cut short after %n chunks; shown as far as it arrived.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="-13"/>
        <source>Chunked transfer encoding decoded (%n chunk(s)).</source>
        <translation>
            <numerusform>Chunked transfer encoding decoded (%n chunk).</numerusform>
            <numerusform>Chunked transfer encoding decoded (%n chunks).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::JsonDiff</name>
    <message numerus="yes">
        <location filename="../app/capture/jsondiff.cpp" line="+184"/>
        <location line="+2"/>
        <source>%n byte(s): %1</source>
        <translation>
            <numerusform>%n byte: %1</numerusform>
            <numerusform>%n bytes: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::JsonlReader</name>
    <message numerus="yes">
        <location filename="../app/capture/jsonlreader.cpp" line="+143"/>
        <source>More lines were skipped; only the first %n are listed.</source>
        <translation>
            <numerusform>More lines were skipped; only the first %n is listed.</numerusform>
            <numerusform>More lines were skipped; only the first %n are listed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::LogStatsPanel</name>
    <message numerus="yes">
        <location filename="../ui/log/logstatspanel.cpp" line="+146"/>
        <source>Compressed in: %Ln message(s), %1 on the wire for %2 (%3)</source>
        <translation>
            <numerusform>Compressed in: %Ln message, %1 on the wire for %2 (%3)</numerusform>
            <numerusform>Compressed in: %Ln messages, %1 on the wire for %2 (%3)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>out: %Ln message(s), %1 for %2 (%3)</source>
        <translation>
            <numerusform>out: %Ln message, %1 for %2 (%3)</numerusform>
            <numerusform>out: %Ln messages, %1 for %2 (%3)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>Push latency (server time → here, %Ln message(s)): median %1 ms, p95 %2 ms, max %3 ms</source>
        <translation>
            <numerusform>Push latency (server time → here, %Ln message): median %1 ms, p95 %2 ms, max %3 ms</numerusform>
            <numerusform>Push latency (server time → here, %Ln messages): median %1 ms, p95 %2 ms, max %3 ms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+19"/>
        <source>In: %Ln message(s), %1</source>
        <translation>
            <numerusform>In: %Ln message, %1</numerusform>
            <numerusform>In: %Ln messages, %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Out: %Ln message(s), %1</source>
        <translation>
            <numerusform>Out: %Ln message, %1</numerusform>
            <numerusform>Out: %Ln messages, %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::MainWindow</name>
    <message numerus="yes">
        <location filename="../ui/mainwindow.cpp" line="+668"/>
        <source>%n connection(s) have settings that are not saved as profiles. Save them before quitting?</source>
        <translation>
            <numerusform>%n connection has settings that are not saved as a profile. Save it before quitting?</numerusform>
            <numerusform>%n connections have settings that are not saved as profiles. Save them before quitting?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::MessageLogModel</name>
    <message numerus="yes">
        <location filename="../app/log/messagelogmodel.cpp" line="+173"/>
        <source>Compressed (permessage-deflate): %n byte(s) on the wire</source>
        <translation>
            <numerusform>Compressed (permessage-deflate): %n byte on the wire</numerusform>
            <numerusform>Compressed (permessage-deflate): %n bytes on the wire</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n byte(s) inflated</source>
        <translation>
            <numerusform>%n byte inflated</numerusform>
            <numerusform>%n bytes inflated</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::MiniProgramCheck</name>
    <message numerus="yes">
        <location filename="../app/check/miniprogramcheck.cpp" line="+338"/>
        <source>The server sent %n certificate(s): %1. The issuer of the last one, %2, was not sent and is not a trusted root.</source>
        <translation>
            <numerusform>The server sent %n certificate: %1. The issuer of the last one, %2, was not sent and is not a trusted root.</numerusform>
            <numerusform>The server sent %n certificates: %1. The issuer of the last one, %2, was not sent and is not a trusted root.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>The server sent %n certificate(s), up to its own root: %1.</source>
        <translation>
            <numerusform>The server sent %n certificate, up to its own root: %1.</numerusform>
            <numerusform>The server sent %n certificates, up to its own root: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>The server sent %n certificate(s): %1.</source>
        <translation>
            <numerusform>The server sent %n certificate: %1.</numerusform>
            <numerusform>The server sent %n certificates: %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::PayloadCodec</name>
    <message numerus="yes">
        <location filename="../app/payload/payloadcodec.cpp" line="+111"/>
        <source>Base64 has %n character(s): a length of 4n+1 cannot be decoded (a character is missing or extra).</source>
        <translation>
            <numerusform>Base64 has %n character: a length of 4n+1 cannot be decoded (a character is missing or extra).</numerusform>
            <numerusform>Base64 has %n characters: a length of 4n+1 cannot be decoded (a character is missing or extra).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::PayloadView</name>
    <message numerus="yes">
        <location filename="../ui/payload/payloadview.cpp" line="+356"/>
        <source>%n invisible character(s) made visible (highlighted): → tab, ↵ newline, ⍽ no-break space, «NUL» «CR» «ZWSP» «BOM»... for the others.</source>
        <translation>
            <numerusform>%n invisible character made visible (highlighted): → tab, ↵ newline, ⍽ no-break space, «NUL» «CR» «ZWSP» «BOM»... for the others.</numerusform>
            <numerusform>%n invisible characters made visible (highlighted): → tab, ↵ newline, ⍽ no-break space, «NUL» «CR» «ZWSP» «BOM»... for the others.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+67"/>
        <source>%n frame(s) carried this message.</source>
        <translation>
            <numerusform>%n frame carried this message.</numerusform>
            <numerusform>%n frames carried this message.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+64"/>
        <source>Offset %1 is past the end (the payload has %n byte(s)).</source>
        <translation>
            <numerusform>Offset %1 is past the end (the payload has %n byte).</numerusform>
            <numerusform>Offset %1 is past the end (the payload has %n bytes).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+33"/>
        <source>Selected %n byte(s) at 0x%1 (%2)</source>
        <translation>
            <numerusform>Selected %n byte at 0x%1 (%2)</numerusform>
            <numerusform>Selected %n bytes at 0x%1 (%2)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Offset 0x%1 (%2) of %n byte(s)</source>
        <translation>
            <numerusform>Offset 0x%1 (%2) of %n byte</numerusform>
            <numerusform>Offset 0x%1 (%2) of %n bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::ProfilePanel</name>
    <message numerus="yes">
        <location filename="../ui/profiles/profilepanel.cpp" line="+320"/>
        <source>Imported %n profile(s).</source>
        <translation>
            <numerusform>Imported %n profile.</numerusform>
            <numerusform>Imported %n profiles.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+36"/>
        <source>Exported %n profile(s) with their secrets.</source>
        <translation>
            <numerusform>Exported %n profile with its secrets.</numerusform>
            <numerusform>Exported %n profiles with their secrets.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Exported %n profile(s) without secrets.</source>
        <translation>
            <numerusform>Exported %n profile without secrets.</numerusform>
            <numerusform>Exported %n profiles without secrets.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::PushPollView</name>
    <message numerus="yes">
        <location filename="../ui/server/pushpollview.cpp" line="+172"/>
        <source>After %n second(s): polling used %1 requests and %2× the bytes of push for the same events.</source>
        <translation>
            <numerusform>After %n second: polling used %1 requests and %2× the bytes of push for the same events.</numerusform>
            <numerusform>After %n seconds: polling used %1 requests and %2× the bytes of push for the same events.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::ReplayDialog</name>
    <message numerus="yes">
        <location filename="../ui/capture/replaydialog.cpp" line="+94"/>
        <source>%n client message(s) to send</source>
        <translation>
            <numerusform>%n client message to send</numerusform>
            <numerusform>%n client messages to send</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n recorded answer(s) to compare</source>
        <translation>
            <numerusform>%n recorded answer to compare</numerusform>
            <numerusform>%n recorded answers to compare</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+84"/>
        <source>Sent %1 of %2, %n answer(s) so far…</source>
        <translation>
            <numerusform>Sent %1 of %2, %n answer so far…</numerusform>
            <numerusform>Sent %1 of %2, %n answers so far…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>All %n answer(s) match the recording.</source>
        <translation>
            <numerusform>The %n answer matches the recording.</numerusform>
            <numerusform>All %n answers match the recording.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n answer(s) differ from the recording</source>
        <translation>
            <numerusform>%n answer differs from the recording</numerusform>
            <numerusform>%n answers differ from the recording</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source> (%n compared).</source>
        <translation>
            <numerusform> (%n compared).</numerusform>
            <numerusform> (%n compared).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::SendPanel</name>
    <message numerus="yes">
        <location filename="../ui/send/sendpanel.cpp" line="+505"/>
        <source>Sent %1 in %2 frames of ≤ %n byte(s).</source>
        <translation>
            <numerusform>Sent %1 in %2 frames of ≤ %n byte.</numerusform>
            <numerusform>Sent %1 in %2 frames of ≤ %n bytes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::SingleInstance</name>
    <message numerus="yes">
        <location filename="../app/instance/singleinstance.cpp" line="+123"/>
        <source>A field of the request claims a length of %1, but the request ends %n byte(s) later.</source>
        <translation>
            <numerusform>A field of the request claims a length of %1, but the request ends %n byte later.</numerusform>
            <numerusform>A field of the request claims a length of %1, but the request ends %n bytes later.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::WireTap</name>
    <message numerus="yes">
        <location filename="../app/wire/wiretap.cpp" line="+219"/>
        <source>The %1 sent a %2 frame (%n byte(s)) after its close frame; RFC 6455 §5.5.1 forbids data after close. Not a message; further such frames are not noted.</source>
        <translation>
            <numerusform>The %1 sent a %2 frame (%n byte) after its close frame; RFC 6455 §5.5.1 forbids data after close. Not a message; further such frames are not noted.</numerusform>
            <numerusform>The %1 sent a %2 frame (%n bytes) after its close frame; RFC 6455 §5.5.1 forbids data after close. Not a message; further such frames are not noted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>The %1 sent a %2 frame (%n byte(s)) after its close frame; RFC 6455 §5.5.1 forbids data after close. Not a message.</source>
        <translation>
            <numerusform>The %1 sent a %2 frame (%n byte) after its close frame; RFC 6455 §5.5.1 forbids data after close. Not a message.</numerusform>
            <numerusform>The %1 sent a %2 frame (%n bytes) after its close frame; RFC 6455 §5.5.1 forbids data after close. Not a message.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+29"/>
        <source>The connection ended in the middle of a frame header from the %1: %n byte(s) of it arrived.</source>
        <translation>
            <numerusform>The connection ended in the middle of a frame header from the %1: %n byte of it arrived.</numerusform>
            <numerusform>The connection ended in the middle of a frame header from the %1: %n bytes of it arrived.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>The connection ended inside a fragmented %1 message from the %2: %n frame(s) (%3) arrived, its final frame never did.</source>
        <translation>
            <numerusform>The connection ended inside a fragmented %1 message from the %2: %n frame (%3) arrived, its final frame never did.</numerusform>
            <numerusform>The connection ended inside a fragmented %1 message from the %2: %n frames (%3) arrived, its final frame never did.</numerusform>
        </translation>
    </message>
</context>
</TS>
