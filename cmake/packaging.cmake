# install() rules and CPack: `cpack -G DEB` in the build directory writes two packages,
#   airlock-build_<version>_amd64.deb    /usr/bin/airlock-build (Depends from dpkg-shlibdeps)
#   airlock-install_<version>_amd64.deb  /usr/bin/airlock-install, the static installer (no Depends)
# each with its man page (help2man, from --help) and bash/zsh completions (from --help too:
# packaging/completions.sh), so neither can drift from the program.

include(GNUInstallDirs)
find_program(HELP2MAN help2man)
set(_share ${CMAKE_BINARY_DIR}/share)
set(_docs "")
foreach(program airlock-build airlock-install)
  set(completion_outputs ${_share}/completions/bash/${program} ${_share}/completions/zsh/_${program})
  add_custom_command(OUTPUT ${completion_outputs}
    COMMAND ${PROJECT_SOURCE_DIR}/packaging/completions.sh $<TARGET_FILE:${program}> ${program} ${_share}/completions
    DEPENDS ${program} ${PROJECT_SOURCE_DIR}/packaging/completions.sh ${PROJECT_SOURCE_DIR}/packaging/cli_words.sh
    VERBATIM)
  list(APPEND _docs ${completion_outputs})
  if(HELP2MAN)
    add_custom_command(OUTPUT ${_share}/man/man1/${program}.1.gz
      COMMAND ${PROJECT_SOURCE_DIR}/packaging/man_page.sh $<TARGET_FILE:${program}> ${_share}/man/man1/${program}.1.gz
      DEPENDS ${program} ${PROJECT_SOURCE_DIR}/packaging/man_page.sh ${PROJECT_SOURCE_DIR}/packaging/cli_words.sh
      VERBATIM)
    list(APPEND _docs ${_share}/man/man1/${program}.1.gz)
  endif()
endforeach()
add_custom_target(airlock_docs ALL DEPENDS ${_docs})
if(NOT HELP2MAN)
  message(STATUS "help2man not found: no man pages (apt-get install help2man)")
endif()

macro(_airlock_install_docs program component)
  if(HELP2MAN)
    install(FILES ${_share}/man/man1/${program}.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${component})
  endif()
  install(FILES ${_share}/completions/bash/${program}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT ${component})
  install(FILES ${_share}/completions/zsh/_${program}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT ${component})
endmacro()

install(TARGETS airlock-build RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT builder)
_airlock_install_docs(airlock-build builder)
if(AIRLOCK_STATIC_INSTALLER)
  # The package carries the static installer under the program's name: the same file the
  # site copies across the gap.
  install(PROGRAMS $<TARGET_FILE:airlock-install-static> DESTINATION ${CMAKE_INSTALL_BINDIR}
          RENAME airlock-install COMPONENT installer)
else()
  install(TARGETS airlock-install RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT installer)
endif()
_airlock_install_docs(airlock-install installer)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME airlock)
set(CPACK_PACKAGE_VENDOR airlock)
set(CPACK_PACKAGE_CONTACT "airlock maintainers <airlock@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL builder installer)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Stripped in the packages (the static installer: 8.9 MB → 7.5 MB); build/bin keeps the symbols
# the linkage tests read.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_BUILDER_PACKAGE_NAME airlock-build)
set(CPACK_DEBIAN_BUILDER_DESCRIPTION
  "build signed Python bundles for air-gapped sites\n airlock-build resolves a manifest for each target platform, downloads and\n verifies every file, and writes one signed, reproducible bundle.")
set(CPACK_DEBIAN_BUILDER_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_INSTALLER_PACKAGE_NAME airlock-install)
set(CPACK_DEBIAN_INSTALLER_DESCRIPTION
  "verify and install airlock bundles offline (static, no network code)\n airlock-install checks a bundle's signature and every hash, then installs it\n with pip into a venv, or exports it as a static index. One static file.")
set(CPACK_DEBIAN_INSTALLER_PACKAGE_SHLIBDEPS OFF)
include(CPack)
