# The third-party libraries core links, and the static installer.
#
# Every library goes through an airlock_lib_<name> interface target whose link line depends on the
# program being linked: $<TARGET_PROPERTY:AIRLOCK_STATIC> in a usage requirement is read from the
# consuming program, so the same module libraries link Debian's shared libraries into
# airlock-build and airlock-install, and Debian's static ones into airlock-install-static.
#
# AIRLOCK_STATIC_INSTALLER (default ON, OFF under the sanitizers, which cannot link -static)
# builds build/bin/airlock-install-static: glibc, libstdc++, libarchive, OpenSSL's libcrypto,
# zstd and toml++ all inside, nothing loaded at run time. Only one more link step: it reuses every
# object the dynamic installer is built from.
#
# Why glibc -static and not musl: Debian's musl-tools has a C compiler wrapper only; airlock is
# C++20 and Debian ships no libstdc++ built for musl, so a musl build would need a cross toolchain
# plus every library rebuilt. What static glibc would load at run time, the installer never
# reaches: it calls no getpwnam/getaddrinfo (ld warns about getaddrinfo and dlopen inside
# libcrypto: its BIO socket and provider-module code, which airlock never calls); libarchive's
# iconv between UTF-8 and the C locale uses glibc's built-in converters, no gconv modules.
# tests/e2e/test_static_installer.py runs it in an empty chroot.

set(_static_default ON)
if(AIRLOCK_SANITIZE)
  set(_static_default OFF)
endif()
option(AIRLOCK_STATIC_INSTALLER "Also build bin/airlock-install-static (fully static)" ${_static_default})

set(_static "$<BOOL:$<TARGET_PROPERTY:AIRLOCK_STATIC>>")

# airlock_third_party(<name> <dynamic target> STATIC <archive names, in link order>)
function(airlock_third_party name dynamic)
  cmake_parse_arguments(ARG "" "" "STATIC" ${ARGN})
  add_library(airlock_lib_${name} INTERFACE)
  target_link_libraries(airlock_lib_${name} INTERFACE "$<$<NOT:${_static}>:${dynamic}>")
  if(AIRLOCK_STATIC_INSTALLER)
    # Headers come from the dynamic target; only the link line differs.
    target_include_directories(airlock_lib_${name} SYSTEM INTERFACE
      "$<${_static}:$<TARGET_PROPERTY:${dynamic},INTERFACE_INCLUDE_DIRECTORIES>>")
    foreach(lib ${ARG_STATIC})
      find_library(AIRLOCK_STATIC_${lib} NAMES lib${lib}.a NO_CACHE)
      if(NOT AIRLOCK_STATIC_${lib})
        message(FATAL_ERROR "lib${lib}.a not found: the static installer needs Debian's static "
                            "libraries (packaging/setup.sh installs them), or configure with "
                            "-DAIRLOCK_STATIC_INSTALLER=OFF")
      endif()
      target_link_libraries(airlock_lib_${name} INTERFACE "$<${_static}:${AIRLOCK_STATIC_${lib}}>")
    endforeach()
  endif()
endfunction()

# Debian's libarchive.a was built with nettle, lzma, bzip2, zlib, zstd, lz4, libxml2 and acl; the
# linker takes only the members the installer reaches (tar and the zip reader), so only these
# follow it: xar (libxml2), lz4 and ACLs are never pulled in.
airlock_third_party(archive LibArchive::LibArchive STATIC archive nettle lzma bz2 z zstd)
airlock_third_party(crypto OpenSSL::Crypto STATIC crypto)
airlock_third_party(zstd PkgConfig::ZSTD STATIC zstd)

# airlock_static_program(<target>): link <target> -static, with a map file from which
# packaging/static_report.cmake prints its size and the libraries it contains after each link.
function(airlock_static_program target)
  set_target_properties(${target} PROPERTIES AIRLOCK_STATIC ON)
  set(map ${CMAKE_BINARY_DIR}/${target}.map)
  target_link_options(${target} PRIVATE -static -Wl,-Map=${map})
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${target}> -DMAP=${map}
            -P ${PROJECT_SOURCE_DIR}/packaging/static_report.cmake
    VERBATIM)
endfunction()
