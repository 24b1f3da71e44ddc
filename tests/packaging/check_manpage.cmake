# The manual page (as installed, gzip-compressed) shows exactly what `wsinspector --help` prints.
#   cmake -DBINARY=... -DMANPAGE=.../wsinspector.1.gz -P check_manpage.cmake
execute_process(COMMAND ${BINARY} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${BINARY} --help exited with ${rc}")
endif()
execute_process(COMMAND gzip -dc ${MANPAGE} OUTPUT_VARIABLE page RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cannot decompress ${MANPAGE}")
endif()

# The OPTIONS section's no-fill block, with the roff escapes undone.
string(FIND "${page}" ".SH OPTIONS" at)
if(at LESS 0)
    message(FATAL_ERROR "${MANPAGE} has no OPTIONS section")
endif()
string(SUBSTRING "${page}" ${at} -1 page)
if(NOT page MATCHES "\n\\.nf\n(.*)\n\\.fi\n")
    message(FATAL_ERROR "${MANPAGE}: the OPTIONS section has no .nf/.fi block")
endif()
set(shown "${CMAKE_MATCH_1}\n")
string(REPLACE "\\-" "-" shown "${shown}")
string(REPLACE "\\&" "" shown "${shown}")
string(REPLACE "\\e" "\\" shown "${shown}")

if(NOT shown STREQUAL help)
    file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/manpage-options.txt "${shown}")
    file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/help.txt "${help}")
    execute_process(COMMAND diff -u ${CMAKE_CURRENT_BINARY_DIR}/help.txt ${CMAKE_CURRENT_BINARY_DIR}/manpage-options.txt)
    message(FATAL_ERROR "The manual page's OPTIONS differ from --help (diff above: - help, + manual page). "
                        "Rebuild (the page is generated from --help) or fix cmake/manpage.cmake.")
endif()

# man itself must read it without complaint.
execute_process(COMMAND man --warnings -E UTF-8 -l ${MANPAGE}
    OUTPUT_QUIET ERROR_VARIABLE warnings RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT warnings STREQUAL "")
    message(FATAL_ERROR "man -l ${MANPAGE} (${rc}): ${warnings}")
endif()
message(STATUS "manual page OPTIONS == --help (${MANPAGE})")
