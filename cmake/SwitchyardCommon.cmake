# One interface target carries the language level, the strict Qt defines and the warnings;
# every library, the executable and the tests link it.
add_library(switchyard_common INTERFACE)
target_compile_features(switchyard_common INTERFACE cxx_std_20)
target_compile_definitions(switchyard_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    SWITCHYARD_VERSION_STRING="${PROJECT_VERSION}")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(switchyard_common INTERFACE
        -Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Woverloaded-virtual)
    if(SWITCHYARD_WERROR)
        target_compile_options(switchyard_common INTERFACE -Werror)
    endif()
endif()

# One static library per subsystem folder (docs/architecture.md). Each exposes only its own folder
# as include directory and links only the subsystems it may use (USES, public: their headers show in
# its own), so an #include against the layering fails to compile instead of quietly working.
# A subsystem may use only those defined before it, lowest layer first: that order is the layering,
# and it leaves no way to link in a circle (which CMake itself accepts between static libraries).
function(switchyard_subsystem name)
    cmake_parse_arguments(S "" "" "SOURCES;USES" ${ARGN})
    foreach(used IN LISTS S_USES)
        if(used MATCHES "^switchyard_" AND NOT TARGET ${used})
            message(FATAL_ERROR "${name} uses ${used}, which is not below it: a subsystem uses only "
                                "the ones defined before it (docs/architecture.md)")
        endif()
    endforeach()
    add_library(${name} STATIC ${S_SOURCES})
    target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC switchyard_common ${S_USES})
endfunction()
