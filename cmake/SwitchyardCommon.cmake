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
