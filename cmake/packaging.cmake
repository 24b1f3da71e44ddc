# Desktop integration and the Debian package (scripts/package.sh): what gets installed under
# /usr besides the binary, and CPack's DEB settings. Included from the top-level CMakeLists.txt.

set(WSI_APP_ID "org.example.wsinspector" CACHE STRING
    "AppStream component id (reverse DNS of a domain the project controls)")
set(WSI_DOCS_URL "https://example.org/wsinspector/docs" CACHE STRING
    "https:// folder where docs/*.png are published (the metainfo's screenshots)")
set(WSI_PACKAGE_MAINTAINER "WebSocket Inspector maintainers <maintainers@users.noreply.r-seed-44e7162a.example>"
    CACHE STRING "Maintainer field of the .deb")
option(WSI_PACKAGING "Fail at configure time when something the package needs is missing" OFF)

# Desktop entry (opens ws:// and wss:// links) and AppStream metainfo.
install(FILES resources/wsinspector.desktop DESTINATION share/applications)
set(WSI_METAINFO ${CMAKE_CURRENT_BINARY_DIR}/${WSI_APP_ID}.metainfo.xml)
configure_file(resources/wsinspector.metainfo.xml.in ${WSI_METAINFO} @ONLY)
install(FILES ${WSI_METAINFO} DESTINATION share/metainfo)

# Icons: the SVG, and PNGs rendered from it at build time by a small Qt tool (launchers and
# software centres that do not scale SVG pick a PNG of the right size).
install(FILES resources/wsinspector.svg DESTINATION share/icons/hicolor/scalable/apps)
find_package(Qt6 6.4 QUIET OPTIONAL_COMPONENTS Gui Svg)
if(TARGET Qt6::Svg)
    set(WSI_ICON_SIZES 16 22 24 32 48 64 128 256)
    set(WSI_ICON_DIR ${CMAKE_CURRENT_BINARY_DIR}/icons)
    set(WSI_ICON_PNGS "")
    foreach(size IN LISTS WSI_ICON_SIZES)
        list(APPEND WSI_ICON_PNGS ${WSI_ICON_DIR}/${size}x${size}/apps/wsinspector.png)
    endforeach()
    add_executable(wsi_rendericon resources/rendericon.cpp)
    target_link_libraries(wsi_rendericon PRIVATE Qt6::Gui Qt6::Svg wsi_compile_options)
    add_custom_command(OUTPUT ${WSI_ICON_PNGS}
        COMMAND wsi_rendericon ${CMAKE_CURRENT_SOURCE_DIR}/resources/wsinspector.svg ${WSI_ICON_DIR} ${WSI_ICON_SIZES}
        DEPENDS wsi_rendericon resources/wsinspector.svg
        COMMENT "Rendering the PNG icons from wsinspector.svg")
    add_custom_target(wsi_icons ALL DEPENDS ${WSI_ICON_PNGS})
    install(DIRECTORY ${WSI_ICON_DIR}/ DESTINATION share/icons/hicolor FILES_MATCHING PATTERN "*.png")
elseif(WSI_PACKAGING)
    message(FATAL_ERROR "The package's PNG icons need Qt Svg: apt-get install qt6-svg-dev")
else()
    message(STATUS "Qt Svg not found (qt6-svg-dev): the PNG icons are not built, only the SVG is installed")
endif()

# The manual page, generated from `wsinspector --help` whenever the binary changes.
set(WSI_MANPAGE ${CMAKE_CURRENT_BINARY_DIR}/man/wsinspector.1)
add_custom_command(OUTPUT ${WSI_MANPAGE} ${WSI_MANPAGE}.gz
    COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:wsinspector> -DVERSION=${PROJECT_VERSION} -DOUT=${WSI_MANPAGE}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/manpage.cmake
    DEPENDS wsinspector cmake/manpage.cmake
    COMMENT "Writing wsinspector.1 from wsinspector --help")
add_custom_target(wsi_manpage ALL DEPENDS ${WSI_MANPAGE}.gz)
install(FILES ${WSI_MANPAGE}.gz DESTINATION share/man/man1)

# Debian wants a copyright file and a compressed changelog in /usr/share/doc/<package>.
set(WSI_PACKAGE_DATE "Tue, 01 Dec 2026 12:00:00 +0000") # the newest changelog entry
configure_file(resources/debian/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog.gz
    COMMAND gzip -9 -n -f -k ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog
    DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog)
add_custom_target(wsi_changelog ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog.gz)
install(FILES resources/debian/copyright ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog.gz
    DESTINATION share/doc/wsinspector)

# CPack: one .deb, dependencies computed from the binary by dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wsinspector)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "WebSocket Inspector maintainers")
set(CPACK_PACKAGE_CONTACT ${WSI_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "inspect WebSocket connections: handshake, frames and messages")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_SOURCE_DIR}/cmake/debstrip.cmake)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # wsinspector_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${WSI_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Plugins are loaded at run time, so dpkg-shlibdeps cannot see them: the window icon is an SVG
# (libqt6svg6's icon engine); Wayland sessions want the native platform plugin (else XWayland).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "WebSocket Inspector connects to ws:// and wss:// endpoints and shows what goes
over the wire: both handshake heads exactly as sent and received, every frame
with its bits and masking key, control frames included, and the messages they
make up. It has a live log with filters, payload views (text, JSON, hex), a
send panel, profiles, recording to JSON Lines and a terminal front end
(wsinspector --cli). Clicking a ws:// or wss:// link opens it as a tab in the
window that is already open.")
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
include(CPack)
