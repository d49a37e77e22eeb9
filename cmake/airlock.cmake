# Helpers that keep each module's CMakeLists.txt to a few lines.
#
#   airlock_module(NAME <target> DEPS <targets...>)
#       A static library from every *.cpp in the current folder except *_test.cpp.
#   airlock_tests(NAME <target> DEPS <targets...>)
#       A GoogleTest binary from every *_test.cpp in the current folder, registered with ctest,
#       linked with tests/support/cpp (airlock_test_support: temp dirs, processes, files).

function(airlock_module)
  cmake_parse_arguments(ARG "" "NAME" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "_test\\.cpp$")
  add_library(${ARG_NAME} STATIC ${sources})
  target_include_directories(${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

function(airlock_tests)
  cmake_parse_arguments(ARG "" "NAME" "DEPS" ${ARGN})
  if(NOT AIRLOCK_TESTS)
    return()
  endif()
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(${ARG_NAME} ${sources})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} airlock_test_support GTest::gtest_main)
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()

# Adds every listed sub-folder that exists and has a CMakeLists.txt (modules arrive one by one).
function(airlock_subdirectories)
  foreach(dir ${ARGN})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/CMakeLists.txt)
      add_subdirectory(${dir})
    endif()
  endforeach()
endfunction()
