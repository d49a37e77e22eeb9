# The libFuzzer build (-DAIRLOCK_FUZZ=ON, clang only): every object carries libFuzzer's coverage
# instrumentation and AddressSanitizer + UndefinedBehaviorSanitizer; the fuzz targets of fuzz/
# link libFuzzer's main. Only those targets and the module libraries they link are built.
#
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DAIRLOCK_FUZZ=ON
#   cmake --build build-fuzz && build-fuzz/bin/fuzz_pep440 fuzz/corpus/pep440 -max_total_time=60

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "AIRLOCK_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
endif()
if(AIRLOCK_SANITIZE)
  message(FATAL_ERROR "AIRLOCK_FUZZ already builds with ASan and UBSan: leave AIRLOCK_SANITIZE off")
endif()
# -O1 keeps the fuzzers fast and the sanitizer reports exact; assertions stay on (no NDEBUG).
set(CMAKE_CXX_FLAGS_RELEASE "-O1 -g1")
set(CMAKE_CXX_FLAGS_DEBUG "-O0 -g1")
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
