# CPack pre-build script: drops the .comment and .note sections from the staged binary as
# Debian's dh_strip does (CPACK_STRIP_FILES keeps them; lintian: binary-has-unneeded-section).
file(GLOB_RECURSE binaries "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*/bin/wsinspector")
foreach(binary IN LISTS binaries)
    execute_process(COMMAND strip --remove-section=.comment --remove-section=.note ${binary} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "strip ${binary} failed (${rc})")
    endif()
endforeach()
if(NOT binaries)
    message(FATAL_ERROR "debstrip.cmake: no bin/wsinspector under ${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
endif()
