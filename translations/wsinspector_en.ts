<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
        <location filename="../app/send/actionrunner.cpp" line="+191"/>
        <source>The connection closed: %n action(s) were not carried out.</source>
        <translation>
            <numerusform>The connection closed: %n action was not carried out.</numerusform>
            <numerusform>The connection closed: %n actions were not carried out.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::Connection</name>
    <message numerus="yes">
        <location filename="../app/session/connection.cpp" line="+301"/>
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
    <name>wsi::MessageComposer</name>
    <message numerus="yes">
        <location filename="../app/send/messagecomposer.cpp" line="+17"/>
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
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
    <name>wsi::PayloadView</name>
    <message numerus="yes">
        <location filename="../ui/payload/payloadview.cpp" line="+331"/>
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
</context>
<context>
    <name>wsi::ProfilePanel</name>
    <message numerus="yes">
        <location filename="../ui/profiles/profilepanel.cpp" line="+255"/>
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
    <name>wsi::SendPanel</name>
    <message numerus="yes">
        <location filename="../ui/send/sendpanel.cpp" line="+67"/>
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
</context>
</TS>
