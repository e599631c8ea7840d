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
function(switchyard_subsystem name)
    cmake_parse_arguments(S "" "" "SOURCES;USES" ${ARGN})
    add_library(${name} STATIC ${S_SOURCES})
    target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC switchyard_common ${S_USES})
    set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY SWITCHYARD_SUBSYSTEMS ${name})
endfunction()

# Fails the configure step when the subsystem libraries link in a circle (CMake itself accepts a
# circle of static libraries). Call once every subsystem is defined.
function(switchyard_check_no_cycles)
    get_property(targets DIRECTORY ${CMAKE_SOURCE_DIR} PROPERTY SWITCHYARD_SUBSYSTEMS)
    foreach(t IN LISTS targets)
        _switchyard_visit(${t} "${t}")
    endforeach()
endfunction()

function(_switchyard_visit target path)
    get_target_property(uses ${target} LINK_LIBRARIES)
    foreach(u IN LISTS uses)
        if(NOT u MATCHES "^switchyard_" OR u STREQUAL "switchyard_common")
            continue()
        endif()
        if(u IN_LIST path)
            string(REPLACE ";" " -> " shown "${path};${u}")
            message(FATAL_ERROR "The subsystem libraries link in a circle: ${shown}")
        endif()
        _switchyard_visit(${u} "${path};${u}")
    endforeach()
endfunction()
