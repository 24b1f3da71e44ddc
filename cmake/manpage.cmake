# Writes wsinspector.1 (and wsinspector.1.gz) from what the built binary prints for --help, so the
# manual page cannot drift from the options. Run by the build:
#   cmake -DBINARY=... -DVERSION=... -DOUT=.../wsinspector.1 -P manpage.cmake
foreach(var BINARY VERSION OUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "manpage.cmake needs -D${var}=...")
    endif()
endforeach()

# The terminal path prints the help; LeakSanitizer (asan preset) must not turn exit into failure.
execute_process(COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0 LC_ALL=C.UTF-8 LANGUAGE=
                        ${BINARY} --help
    OUTPUT_VARIABLE help RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR help STREQUAL "")
    message(FATAL_ERROR "${BINARY} --help failed (${rc}): ${err}")
endif()

# roff escapes: backslash first, then minus signs, then lines that would read as requests.
string(REPLACE "\\" "\\e" body "${help}")
string(REPLACE "-" "\\-" body "${body}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" body "${body}")
string(REGEX REPLACE "\n$" "" body "${body}")

file(WRITE ${OUT} ".\\\" Generated from wsinspector --help by cmake/manpage.cmake; edit clioptions.cpp instead.
.TH WSINSPECTOR 1 \"\" \"wsinspector ${VERSION}\" \"User Commands\"
.SH NAME
wsinspector \\- see the handshake, every frame and every message of a WebSocket connection
.SH SYNOPSIS
.B wsinspector
[\\fIURL\\fR [\\fIoptions\\fR]]
.br
.B wsinspector \\-\\-cli
\\fIURL\\fR [\\fIoptions\\fR]
.SH DESCRIPTION
WebSocket Inspector connects to ws:// and wss:// endpoints and shows both handshake heads, every
frame (control frames too) and the messages they make up.
Without \\fB\\-\\-cli\\fR it opens a window; with \\fB\\-\\-cli\\fR, or without a display, the terminal
front end prints the exchange.
.PP
One window serves each user: while it is open, \\fBwsinspector\\fR \\fIURL\\fR opens the address as a
new tab in it and exits with status 0; \\fB\\-\\-new\\-window\\fR opens a separate window instead.
.SH OPTIONS
This is what \\fBwsinspector \\-\\-help\\fR prints:
.PP
.nf
${body}
.fi
.SH FILES
.TP
.I ~/.config/wsinspector/profiles.json
saved profiles
.TP
.I $XDG_RUNTIME_DIR/wsinspector.socket
where the open window listens for later launches (in the temporary folder without
\\fBXDG_RUNTIME_DIR\\fR)
")

execute_process(COMMAND gzip -9 -n -c ${OUT} OUTPUT_FILE ${OUT}.gz RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${OUT} failed (${rc})")
endif()
